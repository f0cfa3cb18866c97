using MailKit.Net.Smtp;
using MimeKit;

namespace Mta.Tests.Delivery;

/// <summary>Sends test messages over SMTP with MailKit, each ending with <see cref="SmtpSink.EndMarker"/>.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class TestMail
{
    /// <summary>A message with its own Message-ID; the body has a line starting with "." to prove dot-stuffing round-trips.</summary>
    public static MimeMessage Create(string from, string to, string messageId, string subject = "test")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = messageId;
        message.Body = new TextPart("plain") { Text = $"Hello.\r\n.leading dot line\r\n{SmtpSink.EndMarker}\r\n" };
        return message;
    }

    public static async Task SendAsync(int port, MimeMessage message, CancellationToken cancellationToken = default)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", port, MailKit.Security.SecureSocketOptions.None, cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="limit"/> passes.</summary>
    public static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
                return true;
            await Task.Delay(100);
        }
        return condition();
    }
}

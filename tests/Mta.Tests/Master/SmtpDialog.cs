using System.Net.Sockets;
using System.Text;

namespace Mta.Tests.Master;

/// <summary>
/// A raw SMTP client for tests that must see the exact reply text (MailKit hides it) or act between the lines of
/// a transaction, e.g. kill the store in the middle of DATA.
/// </summary>
internal sealed class SmtpDialog : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpClient _tcp;
    private readonly StreamReader _reader;
    private readonly Stream _stream;

    private SmtpDialog(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, Encoding.ASCII);
    }

    /// <summary>Connects, reads the banner and says EHLO.</summary>
    public static async Task<SmtpDialog> OpenAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var dialog = new SmtpDialog(tcp);
        Assert.StartsWith("220 ", await dialog.ReadReplyAsync());
        Assert.StartsWith("250", await dialog.CommandAsync("EHLO client.example"));
        return dialog;
    }

    /// <summary>Sends one line; returns the reply's last line ("250 2.1.0 Ok"), or null when the server closed.</summary>
    public async Task<string?> CommandAsync(string line)
    {
        await WriteAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    public async Task WriteAsync(string text)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        await _stream.FlushAsync();
    }

    /// <summary>The last line of a (possibly multi-line) reply, or null when the server closed the connection.</summary>
    public async Task<string?> ReadReplyAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token);
            if (line is null || line.Length < 4 || line[3] != '-')
                return line;
        }
    }

    /// <summary>MAIL, RCPT and DATA up to the 354, so the caller controls the content.</summary>
    public async Task BeginAsync(string sender, string recipient)
    {
        Assert.Equal("250 2.1.0 Ok", await CommandAsync($"MAIL FROM:<{sender}>"));
        Assert.Equal("250 2.1.5 Ok", await CommandAsync($"RCPT TO:<{recipient}>"));
        Assert.StartsWith("354 ", await CommandAsync("DATA"));
    }

    /// <summary>A whole transaction; returns the reply to the end of DATA.</summary>
    public async Task<string?> SendAsync(string sender, string recipient, string subject)
    {
        await BeginAsync(sender, recipient);
        await WriteAsync($"From: <{sender}>\r\nTo: <{recipient}>\r\nSubject: {subject}\r\n\r\nbody of {subject}\r\n");
        return await CommandAsync(".");
    }

    /// <summary>The queue ID of "250 2.0.0 Ok: queued as ID".</summary>
    public static string QueuedId(string? reply)
    {
        Assert.NotNull(reply);
        Assert.StartsWith("250 2.0.0 Ok: queued as ", reply);
        return reply[(reply.LastIndexOf(' ') + 1)..];
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}

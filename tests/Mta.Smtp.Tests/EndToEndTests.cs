using System.Diagnostics;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Mta.Queue;
using Mta.Queue.File;
using Mta.Smtp.Tests.Support;

namespace Mta.Smtp.Tests;

/// <summary>Real clients (MailKit, swaks) into smtpd with the real FileQueueStore: 250 only after a durable enqueue.</summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private readonly string _queueDirectory = Directory.CreateTempSubdirectory("mta-smtpd-queue-").FullName;
    private FileQueueStore _queue = null!;

    public Task InitializeAsync()
    {
        _queue = FileQueueStore.Open(new FileQueueStoreOptions(_queueDirectory));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        Directory.Delete(_queueDirectory, recursive: true);
    }

    private static MimeMessage Message(string subject, string body = "Hello from MailKit.\n.leading dot line\n")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("alice@example.org"));
        message.To.Add(MailboxAddress.Parse("bob@example.com"));
        message.To.Add(MailboxAddress.Parse("carol@example.com"));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    private async Task<(QueuedMessage Message, string Body)> ReadQueuedAsync(string reply)
    {
        var id = new QueueId(reply.Split(' ')[^1]);
        var queued = await _queue.GetAsync(id, CancellationToken.None);
        Assert.NotNull(queued);
        await using var body = await _queue.OpenBodyAsync(id, CancellationToken.None);
        using var reader = new StreamReader(body, Encoding.UTF8);
        return (queued, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task MailKitSendIsDurablyQueued()
    {
        await using var server = await TestServer.StartAsync(store: _queue);
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.None);
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Chunking));
        var reply = await client.SendAsync(Message("via MailKit"));
        await client.DisconnectAsync(true);

        Assert.Matches("^2.0.0 Ok: queued as \\w+$", reply);
        var (queued, body) = await ReadQueuedAsync(reply);
        Assert.Equal("alice@example.org", queued.Envelope.Sender);
        Assert.Equal(["bob@example.com", "carol@example.com"], queued.Envelope.Recipients.Select(r => r.Address));
        Assert.Matches($"^Received: from \\S+ \\(unknown \\[127\\.0\\.0\\.1\\]\\)\r\n\tby mx\\.example\\.com \\(Postfix\\) with ESMTP id {queued.Id};\r\n\t\\w{{3}}, ", body);
        Assert.Contains("\r\n.leading dot line\r\n", body);
        Assert.DoesNotContain("\n", body.Replace("\r\n", ""));
        await server.Log.WaitForAsync(l => l.StartsWith($"{queued.Id}: message-id=<"));
    }

    [Fact]
    public async Task MailKitPipelinesAndAuthenticatesOverStarttls()
    {
        var settings = TestServer.Defaults with
        {
            TlsSecurityLevel = TlsSecurityLevel.May, TlsCertificate = TestCertificate.Server,
            SaslAuthEnable = true, TlsAuthOnly = true,
        };
        await using var server = await TestServer.StartAsync(settings, new RejectRelayPolicy("example.com"), PasswordTable.Parse("alice:s3cret\n"), _queue);
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.StartTls);
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Pipelining));
        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("alice", "wrong"));
        await client.AuthenticateAsync("alice", "s3cret");
        var message = Message("relayed after auth");
        message.To.Clear();
        message.To.Add(MailboxAddress.Parse("dave@remote.example.net"));
        var reply = await client.SendAsync(message);
        await client.DisconnectAsync(true);

        var (queued, body) = await ReadQueuedAsync(reply);
        Assert.Equal("dave@remote.example.net", Assert.Single(queued.Envelope.Recipients).Address);
        Assert.Contains($"with ESMTPSA id {queued.Id}\r\n\tfor <dave@remote.example.net>; ", body);
        await server.Log.WaitForAsync(l => l == $"{queued.Id}: client=unknown[127.0.0.1], sasl_method=PLAIN, sasl_username=alice");
        await server.Log.WaitForAsync(l => l == "warning: unknown[127.0.0.1]: SASL PLAIN authentication failed: authentication failure, sasl_username=alice");
    }

    [Fact]
    public async Task RelayDeniedIsRejectedAndLogged()
    {
        await using var server = await TestServer.StartAsync(policy: new RejectRelayPolicy("example.com"), store: _queue);
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.None);
        var message = Message("relay attempt");
        message.To.Clear();
        message.To.Add(MailboxAddress.Parse("x@remote.example.net"));
        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(message));
        Assert.Equal(SmtpStatusCode.TransactionFailed, error.StatusCode);
        Assert.Equal("5.7.1 <x@remote.example.net>: Relay access denied", error.Message);
        await server.Log.WaitForAsync(l => System.Text.RegularExpressions.Regex.IsMatch(l,
            @"^\w+: reject: RCPT from unknown\[127\.0\.0\.1\]: 554 5\.7\.1 <x@remote\.example\.net>: Relay access denied; from=<alice@example\.org> to=<x@remote\.example\.net> proto=ESMTP helo=<[^>]+>$"));
    }

    [Fact]
    public async Task ImplicitTlsSubmissionsAcceptsMailKit()
    {
        var settings = TestServer.Defaults with
        {
            ServiceName = "submissions", TlsWrapperMode = true, TlsSecurityLevel = TlsSecurityLevel.Encrypt,
            TlsCertificate = TestCertificate.Server,
        };
        await using var server = await TestServer.StartAsync(settings, store: _queue);
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.SslOnConnect);
        Assert.False(client.Capabilities.HasFlag(SmtpCapabilities.StartTLS));
        var reply = await client.SendAsync(Message("implicit TLS"));
        await client.DisconnectAsync(true);
        var (_, body) = await ReadQueuedAsync(reply);
        Assert.Contains(") with ESMTPS id ", body);
    }

    [Fact]
    public async Task SwaksDeliversThroughSmtpd()
    {
        await using var server = await TestServer.StartAsync(store: _queue);
        var psi = new ProcessStartInfo("/usr/bin/swaks",
            ["--server", "127.0.0.1", "--port", server.Port.ToString(), "--from", "swaks@example.org", "--to", "bob@example.com",
             "--helo", "swaks.example.org", "--body", "sent by swaks", "--pipeline"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var swaks = Process.Start(psi)!;
        var output = await swaks.StandardOutput.ReadToEndAsync();
        await swaks.WaitForExitAsync();
        Assert.True(swaks.ExitCode == 0, output);
        var reply = output.Split('\n').Single(l => l.Contains("queued as")).Trim();
        var (queued, body) = await ReadQueuedAsync(reply);
        Assert.Equal("swaks@example.org", queued.Envelope.Sender);
        Assert.StartsWith("Received: from swaks.example.org (unknown [127.0.0.1])", body);
        Assert.Contains("sent by swaks\r\n", body);
    }
}

using System.Text;
using Mta.Smtp.Tests.Support;

namespace Mta.Smtp.Tests;

public class PipeliningAndTlsTests
{
    [Fact]
    public async Task PipelinedTransactionAfterEhloIsAccepted()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO c");
        await client.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRCPT TO:<e@f>\r\nDATA\r\n");
        Assert.Equal("250 2.1.0 Ok", await client.ReadReplyAsync());
        Assert.Equal("250 2.1.5 Ok", await client.ReadReplyAsync());
        Assert.Equal("250 2.1.5 Ok", await client.ReadReplyAsync());
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.ReadReplyAsync());
        await client.SendAsync("hi\r\n.\r\nQUIT\r\n");
        Assert.Matches("^250 2.0.0 Ok: queued as ", await client.ReadReplyAsync());
        Assert.Equal("221 2.0.0 Bye", await client.ReadReplyAsync());
        var envelope = Assert.Single(server.Store.Committed.Values).Envelope;
        Assert.Equal(["c@d", "e@f"], envelope.Recipients.Select(r => r.Address));
    }

    [Theory]
    [InlineData("EHLO c\r\nMAIL FROM:<a@b>\r\n", "EHLO")]
    [InlineData("HELO c\r\nMAIL FROM:<a@b>\r\n", "HELO")]
    public async Task PipeliningAfterLastCommandOfGroupIsRefused(string burst, string where)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.SendAsync(burst);
        Assert.Equal("554 5.5.0 Error: SMTP protocol synchronization", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
        await server.Log.WaitForAsync(l => l == $"improper command pipelining after {where} from unknown[127.0.0.1]: MAIL FROM:<a@b>\\r\\n");
    }

    [Fact]
    public async Task PlaintextPipelinedAfterStarttlsIsDiscarded()
    {
        var settings = TestServer.Defaults with { TlsSecurityLevel = TlsSecurityLevel.May, TlsCertificate = TestCertificate.Server };
        await using var server = await TestServer.StartAsync(settings);
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO c");
        await client.SendAsync("STARTTLS\r\nMAIL FROM:<injected@evil.example>\r\n");
        Assert.Equal("220 2.0.0 Ready to start TLS", await client.ReadReplyAsync());
        await client.StartTlsAsync();
        // Had the injected MAIL run, this would be "503 5.5.1 Error: nested MAIL command".
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<good@example.org>"));
        Assert.Equal("221 2.0.0 Bye", await client.CommandAsync("QUIT"));
        await server.Log.WaitForAsync(l => l.StartsWith("Anonymous TLS connection established from unknown[127.0.0.1]: TLSv1."));
    }

    [Fact]
    public async Task EncryptLevelRequiresStarttlsFirst()
    {
        var settings = TestServer.Defaults with { TlsSecurityLevel = TlsSecurityLevel.Encrypt, TlsCertificate = TestCertificate.Server };
        await using var server = await TestServer.StartAsync(settings);
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO c");
        Assert.Equal("530 5.7.0 Must issue a STARTTLS command first", await client.CommandAsync("MAIL FROM:<a@b>"));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task ReceivedHeaderSaysEsmtpsAfterStarttls()
    {
        var settings = TestServer.Defaults with { TlsSecurityLevel = TlsSecurityLevel.May, TlsCertificate = TestCertificate.Server };
        await using var server = await TestServer.StartAsync(settings);
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO c");
        await client.CommandAsync("STARTTLS");
        await client.StartTlsAsync();
        await client.CommandAsync("EHLO tls.example.org");
        await client.CommandAsync("MAIL FROM:<a@b>");
        await client.CommandAsync("RCPT TO:<c@d>");
        await client.CommandAsync("DATA");
        var reply = await client.CommandAsync("Subject: x\r\n\r\nhi\r\n.");
        var id = reply["250 2.0.0 Ok: queued as ".Length..];
        var text = Encoding.UTF8.GetString(server.Store.Committed[id].Content);
        Assert.StartsWith($"Received: from tls.example.org (unknown [127.0.0.1])\r\n\tby mx.example.com (Postfix) with ESMTPS id {id}\r\n\tfor <c@d>; ", text);
    }
}

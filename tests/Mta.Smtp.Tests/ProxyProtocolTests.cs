using System.Net;
using Mta.Smtp.Tests.Support;

namespace Mta.Smtp.Tests;

public class ProxyProtocolTests
{
    private static SmtpdSettings Haproxy => TestServer.Defaults with { UpstreamProxyHaproxy = true, UpstreamProxyTimeout = TimeSpan.FromMilliseconds(500) };

    [Fact]
    public async Task V1HeaderGivesTheRealClientAddress()
    {
        await using var server = await TestServer.StartAsync(Haproxy);
        await using var client = await server.ConnectAsync();
        await client.SendAsync("PROXY TCP4 192.0.2.7 198.51.100.1 40000 25\r\n");
        Assert.Equal("220 mx.example.com ESMTP Postfix", await client.ReadReplyAsync());
        await client.CommandAsync("QUIT");
        await server.Log.WaitForAsync(l => l == "connect from unknown[192.0.2.7]");
        await server.Log.WaitForAsync(l => l.StartsWith("disconnect from unknown[192.0.2.7]"));
    }

    [Fact]
    public async Task V2HeaderGivesTheRealClientAddress()
    {
        await using var server = await TestServer.StartAsync(Haproxy);
        await using var client = await server.ConnectAsync();
        byte[] header =
        [
            0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
            0x21, 0x21, 0x00, 0x24,
            .. IPAddress.Parse("2001:db8::7").GetAddressBytes(),
            .. IPAddress.Parse("2001:db8::1").GetAddressBytes(),
            0x9C, 0x40, 0x00, 0x19,
        ];
        await client.SendAsync(header);
        Assert.Equal("220 mx.example.com ESMTP Postfix", await client.ReadReplyAsync());
        await client.CommandAsync("EHLO c");
        await client.CommandAsync("MAIL FROM:<a@b>");
        await client.CommandAsync("RCPT TO:<c@d>");
        await client.CommandAsync("DATA");
        var reply = await client.CommandAsync("Subject: x\r\n\r\nhi\r\n.");
        var id = reply[^15..];
        var text = System.Text.Encoding.UTF8.GetString(server.Store.Committed[id].Content);
        Assert.StartsWith("Received: from c (unknown [IPv6:2001:db8::7])\r\n", text);
        await server.Log.WaitForAsync(l => l == "connect from unknown[2001:db8::7]");
    }

    [Fact]
    public async Task MissingHeaderTimesOutAndDisconnects()
    {
        await using var server = await TestServer.StartAsync(Haproxy);
        await using var client = await server.ConnectAsync();
        Assert.True(await client.IsClosedAsync());
        await server.Log.WaitForAsync(l => l.StartsWith("warning: haproxy read: timeout"));
    }

    [Fact]
    public async Task CommandsSentWithTheProxyHeaderBeforeTheGreetingAreRefused()
    {
        await using var server = await TestServer.StartAsync(Haproxy);
        await using var client = await server.ConnectAsync();
        await client.SendAsync("PROXY TCP4 192.0.2.7 198.51.100.1 40000 25\r\nEHLO early\r\n");
        Assert.Equal("554 5.5.0 Error: SMTP protocol synchronization", await client.ReadReplyAsync());
        await server.Log.WaitForAsync(l => l == "improper command pipelining after CONNECT from unknown[192.0.2.7]: EHLO early\\r\\n");
    }
}

using Mta.Smtp.Tests.Support;

namespace Mta.Smtp.Tests;

/// <summary>
/// Source routes ("@a,@b:user@c") in MAIL FROM / RCPT TO are dropped as Postfix's extract_addr() does: the reply,
/// the policy and the queued envelope see only the final mailbox (replies checked against Debian's Postfix 3.7).
/// </summary>
public sealed class SourceRouteTests
{
    [Fact]
    public async Task TheRouteIsDroppedFromSenderAndRecipient()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO client.example.net");
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<@a.example,@b.example:s@c.example>"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<@a.example:user@remote.example>"));
        Assert.StartsWith("354 ", await client.CommandAsync("DATA"));
        var reply = await client.CommandAsync("Subject: routed\r\n\r\nbody\r\n.");
        var (envelope, _) = server.Store.Committed[reply.Split(' ')[^1]];
        Assert.Equal("s@c.example", envelope.Sender);
        Assert.Equal("user@remote.example", Assert.Single(envelope.Recipients).Address);
    }
}

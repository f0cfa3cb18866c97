using System.Net;
using System.Text;
using Mta.Config.Tables;
using Mta.Smtp.Policy;
using Mta.Smtp.Tests.Support;

namespace Mta.Smtp.Tests;

/// <summary>Access-map actions applied by smtpd at end of data: DISCARD, HOLD, REDIRECT, BCC, PREPEND.</summary>
public sealed class MessageActionTests
{
    private static SmtpdPolicy Policy(List<string>? log = null) => new(new SmtpdPolicySettings
    {
        MyHostname = "mx.example.com",
        MyDestination = "mx.example.com, example.com",
        MyNetworks = "192.0.2.0/24",
        InterfaceAddresses = [IPAddress.Parse("203.0.113.1")],
        SmtpdRecipientRestrictions = "check_recipient_access inline:{discard@example.com=DISCARD, "
            + "{redirect@example.com=REDIRECT boss@example.com}, {bcc@example.com=BCC audit@example.com}, "
            + "{prepend@example.com=PREPEND X-Tagged: yes}, {hold@example.com=HOLD quarantine}}",
    }, new LookupTableFactory(), new FakeDns(), log is null ? null : log.Add);

    /// <summary>One message to the given recipients; returns the final reply.</summary>
    private static async Task<string> SendAsync(TestServer server, params string[] recipients)
    {
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO client.example.net");
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<sender@example.net>"));
        foreach (var recipient in recipients)
            Assert.Equal("250 2.1.5 Ok", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        Assert.StartsWith("354 ", await client.CommandAsync("DATA"));
        var reply = await client.CommandAsync("Subject: actions\r\n\r\nbody\r\n.");
        await client.CommandAsync("QUIT");
        return reply;
    }

    private static string QueueId(string reply) => reply.Split(' ')[^1];

    [Fact]
    public async Task DiscardAnswers250ButKeepsNothing()
    {
        var policyLog = new List<string>();
        await using var server = await TestServer.StartAsync(policy: Policy(policyLog));
        var reply = await SendAsync(server, "alice@example.com", "discard@example.com");
        Assert.Matches("^250 2.0.0 Ok: queued as ", reply);
        Assert.Empty(server.Store.Committed);
        Assert.Contains(policyLog, l => l.Contains(": discard: RCPT from unknown[127.0.0.1]: <discard@example.com>: Recipient address triggers DISCARD action;"));
        await server.Log.WaitForAsync(l => l.StartsWith("disconnect from "));
        Assert.Empty(server.Store.FilesOnDisk);
    }

    [Fact]
    public async Task HoldKeepsTheMessageInTheHoldQueue()
    {
        await using var server = await TestServer.StartAsync(policy: Policy());
        var reply = await SendAsync(server, "alice@example.com", "hold@example.com");
        Assert.Matches("^250 2.0.0 Ok: queued as ", reply);
        Assert.True(server.Store.Held.ContainsKey(QueueId(reply)));
        Assert.Equal(["alice@example.com", "hold@example.com"], server.Store.Committed[QueueId(reply)].Envelope.Recipients.Select(r => r.Address));
    }

    [Fact]
    public async Task MessagesWithoutHoldAreNotHeld()
    {
        await using var server = await TestServer.StartAsync(policy: Policy());
        var reply = await SendAsync(server, "alice@example.com");
        Assert.True(server.Store.Committed.ContainsKey(QueueId(reply)));
        Assert.Empty(server.Store.Held);
    }

    [Fact]
    public async Task RedirectReplacesEveryRecipient()
    {
        await using var server = await TestServer.StartAsync(policy: Policy());
        var reply = await SendAsync(server, "alice@example.com", "redirect@example.com", "bcc@example.com");
        var envelope = server.Store.Committed[QueueId(reply)].Envelope;
        Assert.Equal("boss@example.com", Assert.Single(envelope.Recipients).Address);
    }

    [Fact]
    public async Task BccAddsARecipient()
    {
        await using var server = await TestServer.StartAsync(policy: Policy());
        var reply = await SendAsync(server, "bcc@example.com");
        var envelope = server.Store.Committed[QueueId(reply)].Envelope;
        Assert.Equal(["bcc@example.com", "audit@example.com"], envelope.Recipients.Select(r => r.Address));
    }

    [Fact]
    public async Task PrependHeaderGoesAboveReceived()
    {
        await using var server = await TestServer.StartAsync(policy: Policy());
        var reply = await SendAsync(server, "prepend@example.com");
        var content = Encoding.UTF8.GetString(server.Store.Committed[QueueId(reply)].Content);
        Assert.StartsWith("X-Tagged: yes\r\nReceived: from client.example.net", content);
        Assert.Contains("\r\nSubject: actions\r\n", content);
    }

    [Fact]
    public async Task ActionsDoNotLeakIntoTheNextMessage()
    {
        await using var server = await TestServer.StartAsync(policy: Policy());
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO client.example.net");
        await client.CommandAsync("MAIL FROM:<sender@example.net>");
        await client.CommandAsync("RCPT TO:<prepend@example.com>");
        await client.CommandAsync("RCPT TO:<discard@example.com>");
        await client.CommandAsync("DATA");
        Assert.Matches("^250 ", await client.CommandAsync("Subject: first\r\n\r\nx\r\n."));
        await client.CommandAsync("MAIL FROM:<sender@example.net>");
        await client.CommandAsync("RCPT TO:<alice@example.com>");
        await client.CommandAsync("DATA");
        var reply = await client.CommandAsync("Subject: second\r\n\r\ny\r\n.");
        var stored = server.Store.Committed[QueueId(reply)];
        Assert.Equal("alice@example.com", Assert.Single(stored.Envelope.Recipients).Address);
        Assert.StartsWith("Received: ", Encoding.UTF8.GetString(stored.Content));
    }
}

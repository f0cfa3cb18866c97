using Mta.Delivery.Tests.Local;
using Mta.Delivery.Virtual;
using Mta.Queue;

namespace Mta.Delivery.Tests.Virtual;

/// <summary>virtual(8): $virtual_mailbox_base/$virtual_mailbox_maps(recipient) as Maildir or mbox.</summary>
public sealed class VirtualDeliveryTests
{
    private static async Task<AgentHarness> Harness(string maps, string extra = "")
    {
        var h = new AgentHarness(
            "virtual_mailbox_base = {root}/vmail\nvirtual_mailbox_maps = texthash:{root}/vmailbox\nrecipient_delimiter = +\n" + extra);
        await File.WriteAllTextAsync(Path.Combine(h.Root, "vmailbox"), maps);
        return h;
    }

    [Fact]
    public async Task MaildirResultDeliversIntoNewWithEnvelopeHeaders()
    {
        await using var h = await Harness("a@v.example v.example/a/\n");
        var agent = new VirtualDeliveryAgent(h.Context("virtual", "virtual"));

        var r = Assert.Single(await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "virtual", "v.example", "A@v.example"), default));

        Assert.Equal(RecipientStatus.Delivered, r.Outcome.Status);
        Assert.Equal("delivered to maildir", r.Outcome.Reason);
        Assert.Equal("virtual", r.Relay);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(h.VirtualBase, "v.example/a/new")));
        Assert.StartsWith("Return-Path: <s@remote.example>\nX-Original-To: A@v.example\nDelivered-To: A@v.example\n", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task MboxResultAppendsAMailbox()
    {
        await using var h = await Harness("b@v.example v.example/b\n");
        var agent = new VirtualDeliveryAgent(h.Context("virtual", "virtual"));

        var r = Assert.Single(await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(), "", "virtual", "v.example", "b@v.example"), default));

        Assert.Equal("delivered to mailbox", r.Outcome.Reason);
        var text = await File.ReadAllTextAsync(Path.Combine(h.VirtualBase, "v.example/b"));
        Assert.StartsWith("From MAILER-DAEMON  ", text);
        Assert.Contains("\nReturn-Path: <>\n", text);
    }

    [Fact]
    public async Task ExtensionThenCatchAllAreLookedUp()
    {
        await using var h = await Harness("c@v.example c/\n@v.example catchall/\n");
        var agent = new VirtualDeliveryAgent(h.Context("virtual", "virtual"));

        var results = await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "virtual", "v.example",
            "c+tag@v.example", "other@v.example"), default);

        Assert.All(results, r => Assert.Equal("delivered to maildir", r.Outcome.Reason));
        Assert.Single(Directory.GetFiles(Path.Combine(h.VirtualBase, "c/new")));
        Assert.Single(Directory.GetFiles(Path.Combine(h.VirtualBase, "catchall/new")));
    }

    [Fact]
    public async Task UnknownRecipientBouncesWithTheWholeAddress()
    {
        await using var h = await Harness("a@v.example a/\n");
        var agent = new VirtualDeliveryAgent(h.Context("virtual", "virtual"));

        var r = Assert.Single(await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "virtual", "v.example", "Nobody@v.example"), default));

        Assert.Equal(RecipientStatus.Bounced, r.Outcome.Status);
        Assert.Equal("5.1.1", r.Outcome.Dsn);
        Assert.Equal("unknown user: \"nobody@v.example\"", r.Outcome.Reason);
    }

    [Fact]
    public async Task VirtualMailboxLimitBounces()
    {
        await using var h = await Harness("a@v.example a/\nb@v.example b\n", "virtual_mailbox_limit = 300");
        var agent = new VirtualDeliveryAgent(h.Context("virtual", "virtual"));
        var big = AgentHarness.Message(new string('x', 400) + "\r\n");

        var results = await agent.DeliverAsync(AgentHarness.Request(big, "s@remote.example", "virtual", "v.example", "a@v.example", "b@v.example"), default);

        Assert.All(results, r => Assert.Equal("5.2.2", r.Outcome.Dsn));
        Assert.Equal("maildir delivery failed: error writing message: File too large", results[0].Outcome.Reason);
        Assert.Empty(Directory.GetFiles(Path.Combine(h.VirtualBase, "a/new")));
        Assert.Empty(Directory.GetFiles(Path.Combine(h.VirtualBase, "a/tmp")));
        Assert.Equal(0, new FileInfo(Path.Combine(h.VirtualBase, "b")).Length);
    }

    [Fact]
    public async Task DeliveredToLoopBounces()
    {
        await using var h = await Harness("a@v.example a/\n");
        var agent = new VirtualDeliveryAgent(h.Context("virtual", "virtual"));
        var looped = AgentHarness.Message(extraHeaders: "Delivered-To: a@v.example\r\n");

        var r = Assert.Single(await agent.DeliverAsync(AgentHarness.Request(looped, "s@remote.example", "virtual", "v.example", "a@v.example"), default));

        Assert.Equal("5.4.6", r.Outcome.Dsn);
        Assert.Equal("mail forwarding loop for a@v.example", r.Outcome.Reason);
    }
}

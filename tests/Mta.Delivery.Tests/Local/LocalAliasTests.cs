using System.Text;
using Mta.Queue;

namespace Mta.Delivery.Tests.Local;

/// <summary>alias_maps expansion: lists, self-reference, loops, :include:, owner- aliases and forwarding through the queue.</summary>
public sealed class LocalAliasTests
{
    private static Task<IReadOnlyList<Mta.Delivery.Agents.RecipientResult>> Deliver(AgentHarness h, string recipient,
        string message = "", string sender = "sender@remote.example") =>
        h.LocalAgent().DeliverAsync(
            AgentHarness.Request(message.Length > 0 ? message : AgentHarness.Message(), sender, "local", "mx.example.com", recipient),
            default).AsTask();

    [Fact]
    public async Task ListDeliversToEachLocalMemberWithItsOwnResult()
    {
        await using var h = new AgentHarness(aliases: "staff: alice, Bob@example.com\n");

        var results = await Deliver(h, "staff@example.com");

        Assert.Equal(["alice@example.com", "Bob@example.com"], results.Select(r => r.FinalAddress ?? "").ToArray());
        Assert.All(results, r => Assert.Equal("delivered to mailbox", r.Outcome.Reason));
        Assert.All(results, r => Assert.Equal(0, r.Index));
        Assert.Contains("\nX-Original-To: staff@example.com\nDelivered-To: staff@example.com\n", h.ReadSpool("alice"));
        Assert.True(File.Exists(h.SpoolFile("bob")));
    }

    [Fact]
    public async Task AliasThatListsItselfDeliversToTheUser()
    {
        await using var h = new AgentHarness(aliases: "alice: alice, bob\n");

        var results = await Deliver(h, "alice@example.com");

        Assert.Equal(2, results.Count);
        Assert.True(File.Exists(h.SpoolFile("alice")));
        Assert.True(File.Exists(h.SpoolFile("bob")));
    }

    [Fact]
    public async Task MutualAliasesBounceAsALoop()
    {
        await using var h = new AgentHarness(aliases: "ping: pong\npong: ping\n");

        var results = await Deliver(h, "ping@example.com");

        var r = Assert.Single(results);
        Assert.Equal(RecipientStatus.Bounced, r.Outcome.Status);
        Assert.Equal("5.4.6", r.Outcome.Dsn);
        Assert.Matches("alias database loop for p[io]ng|recipient nesting limit exceeded", r.Outcome.Reason);
        Assert.Empty(Directory.GetFiles(h.Spool));
    }

    [Fact]
    public async Task RemoteMemberIsQueuedAsANewMessageWithDeliveredTo()
    {
        await using var h = new AgentHarness(aliases: "fwd: someone@remote.example, alice\n");
        var message = AgentHarness.Message();

        var results = await Deliver(h, "fwd@example.com", message);

        Assert.Equal(2, results.Count);
        var forwarded = Assert.Single(results, r => r.FinalAddress == "someone@remote.example");
        Assert.Equal(RecipientStatus.Delivered, forwarded.Outcome.Status);
        Assert.Matches("^forwarded as " + QueueId.Pattern + "$", forwarded.Outcome.Reason);
        var id = new QueueId(forwarded.Outcome.Reason["forwarded as ".Length..]);
        var queued = await h.Queue.GetAsync(id, default);
        Assert.NotNull(queued);
        Assert.Equal("sender@remote.example", queued.Envelope.Sender);
        var rcpt = Assert.Single(queued.Envelope.Recipients);
        Assert.Equal("someone@remote.example", rcpt.Address);
        Assert.Equal("fwd@example.com", rcpt.OriginalAddress);
        await using var body = await h.Queue.OpenBodyAsync(id, default);
        var text = await new StreamReader(body, Encoding.UTF8).ReadToEndAsync();
        Assert.Equal("Delivered-To: fwd@example.com\r\n" + message, text);
        Assert.True(File.Exists(h.SpoolFile("alice")));
    }

    [Fact]
    public async Task OwnerAliasBecomesTheSenderOfTheListsForwardedMail()
    {
        await using var h = new AgentHarness(aliases: "team: alice, x@remote.example\nowner-team: bob\n");

        var results = await Deliver(h, "team@example.com");

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.StartsWith("forwarded as ", r.Outcome.Reason));
        // Both members share one new message: same Delivered-To and sender.
        var id = Assert.Single(results.Select(r => r.Outcome.Reason).Distinct())["forwarded as ".Length..];
        var queued = await h.Queue.GetAsync(new QueueId(id), default);
        Assert.Equal("owner-team@example.com", queued!.Envelope.Sender);
        Assert.Equal(["alice@example.com", "x@remote.example"], queued.Envelope.Recipients.Select(r => r.Address).ToArray());
        Assert.All(queued.Envelope.Recipients, r => Assert.Null(r.OriginalAddress));
        Assert.False(File.Exists(h.SpoolFile("alice")));
    }

    [Fact]
    public async Task IncludeFileMembersAreForwarded()
    {
        await using var h = new AgentHarness();
        var members = Path.Combine(h.Root, "members");
        await File.WriteAllTextAsync(members, "# the team\nalice\n\"carol\", far@remote.example\n");
        await File.WriteAllTextAsync(h.AliasesPath, $"team: :include:{members}\n");

        var results = await Deliver(h, "team@example.com");

        Assert.Equal(["alice@example.com", "carol@example.com", "far@remote.example"], results.Select(r => r.FinalAddress ?? "").ToArray());
        Assert.All(results, r => Assert.StartsWith("forwarded as ", r.Outcome.Reason));
        var queued = await h.Queue.GetAsync(new QueueId(results[0].Outcome.Reason["forwarded as ".Length..]), default);
        Assert.Equal(3, queued!.Envelope.Recipients.Count);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task WorldWritableIncludeFileBouncesAsConfigurationError()
    {
        await using var h = new AgentHarness();
        var members = Path.Combine(h.Root, "members");
        await File.WriteAllTextAsync(members, "alice\n");
        File.SetUnixFileMode(members, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite);
        await File.WriteAllTextAsync(h.AliasesPath, $"team: :include:{members}\n");

        var r = Assert.Single(await Deliver(h, "team@example.com"));

        Assert.Equal(RecipientStatus.Bounced, r.Outcome.Status);
        Assert.Equal("5.3.5", r.Outcome.Dsn);
        Assert.Equal("mail system configuration error", r.Outcome.Reason);
        Assert.Contains(h.Log.Lines, l => l.EndsWith($"warning: :include: file {members} is world writable"));
    }

    [Fact]
    public async Task IncludeThatIncludesItselfStopsAfterOneExpansion()
    {
        await using var h = new AgentHarness();
        var members = Path.Combine(h.Root, "members");
        await File.WriteAllTextAsync(members, $"bob, :include:{members}\n");
        await File.WriteAllTextAsync(h.AliasesPath, $"team: :include:{members}\n");

        var results = await Deliver(h, "team@example.com");

        Assert.Equal("bob@example.com", Assert.Single(results).FinalAddress);
    }

    [Fact]
    public async Task ForwardedListKeepsLoopDetectionDownstream()
    {
        await using var h = new AgentHarness(aliases: "list: far@remote.example\n");
        var looped = AgentHarness.Message(extraHeaders: "Delivered-To: list@example.com\r\n");

        var r = Assert.Single(await Deliver(h, "list@example.com", looped));

        Assert.Equal("5.4.6", r.Outcome.Dsn);
        Assert.Equal("mail forwarding loop for list@example.com", r.Outcome.Reason);
    }

    [Fact]
    public async Task DotForwardOfAUnixUserForwardsAndKeepsACopy()
    {
        await using var h = new AgentHarness();
        await File.WriteAllTextAsync(Path.Combine(h.DaveHome, ".forward"), "\\dave, dave@remote.example\n");

        var results = await Deliver(h, "dave@example.com");

        Assert.Equal(2, results.Count);
        Assert.Contains(results, r => r.FinalAddress is null && r.Outcome.Reason == "delivered to mailbox");
        Assert.Contains(results, r => r.FinalAddress == "dave@remote.example" && r.Outcome.Reason.StartsWith("forwarded as "));
        Assert.True(File.Exists(h.SpoolFile("dave")));
    }

    [Fact]
    public async Task UnreadableAliasTableDefers()
    {
        await using var h = new AgentHarness("alias_maps = fail:aliases");

        var r = Assert.Single(await Deliver(h, "alice@example.com"));

        Assert.Equal(RecipientStatus.Deferred, r.Outcome.Status);
        Assert.Equal("alias database unavailable", r.Outcome.Reason);
    }

    [Fact]
    public async Task DotForwardWithTheExtensionIsPreferred()
    {
        await using var h = new AgentHarness("recipient_delimiter = +");
        await File.WriteAllTextAsync(Path.Combine(h.DaveHome, ".forward+lists"), "lists@remote.example\n");
        await File.WriteAllTextAsync(Path.Combine(h.DaveHome, ".forward"), "home@remote.example\n");

        var withExtension = Assert.Single(await Deliver(h, "dave+lists@example.com"));
        var without = Assert.Single(await Deliver(h, "dave@example.com"));

        Assert.Equal("lists@remote.example", withExtension.FinalAddress);
        Assert.Equal("home@remote.example", without.FinalAddress);
    }

    [Fact]
    public async Task ForwardDefersWhenTheQueueCannotTakeTheMessage()
    {
        await using var h = new AgentHarness(aliases: "fwd: someone@remote.example\n");
        var agent = h.LocalAgent();
        Directory.Delete(Path.Combine(h.Root, "queue"), recursive: true);

        var r = Assert.Single(await agent.DeliverAsync(
            AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "local", "x", "fwd@example.com"), default));

        Assert.Equal(RecipientStatus.Deferred, r.Outcome.Status);
        Assert.Equal("4.3.0", r.Outcome.Dsn);
        Assert.StartsWith("mail forwarding error: ", r.Outcome.Reason);
        Assert.Equal("someone@remote.example", r.FinalAddress);
    }

    [Fact]
    public async Task BackslashUserSkipsThatUsersAliasAndForward()
    {
        await using var h = new AgentHarness(aliases: "alice: \\bob\nbob: carol\n");

        var r = Assert.Single(await Deliver(h, "alice@example.com"));

        Assert.Equal("bob@example.com", r.FinalAddress);
        Assert.Equal("delivered to mailbox", r.Outcome.Reason);
        Assert.True(File.Exists(h.SpoolFile("bob")));
        Assert.False(File.Exists(h.SpoolFile("carol")));
    }
}

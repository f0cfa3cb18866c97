using MimeKit;
using Mta.Delivery.Local;
using Mta.Queue;

namespace Mta.Delivery.Tests.Local;

/// <summary>Mailbox delivery: mbox bytes, Maildir files, unknown users, extensions, limits.</summary>
public sealed class LocalMailboxTests
{
    [Fact]
    public async Task MboxGetsFromLineEnvelopeHeadersQuotingAndBlankLine()
    {
        await using var h = new AgentHarness();
        var agent = h.LocalAgent();
        var message = AgentHarness.Message("From the start\r\nline two\r\n");

        var results = await agent.DeliverAsync(AgentHarness.Request(message, "sender@remote.example", "local", "mx.example.com", "alice@example.com"), default);

        var r = Assert.Single(results);
        Assert.Equal(RecipientStatus.Delivered, r.Outcome.Status);
        Assert.Equal("2.0.0", r.Outcome.Dsn);
        Assert.Equal("delivered to mailbox", r.Outcome.Reason);
        Assert.Equal("local", r.Relay);
        Assert.Null(r.FinalAddress);
        var text = h.ReadSpool("alice");
        Assert.Matches(@"^From sender@remote\.example  \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n", text);
        var lines = text.Split('\n');
        Assert.Equal("Return-Path: <sender@remote.example>", lines[1]);
        Assert.Equal("X-Original-To: alice@example.com", lines[2]);
        Assert.Equal("Delivered-To: alice@example.com", lines[3]);
        Assert.Equal("From: sender@remote.example", lines[4]);
        Assert.DoesNotContain('\r', text);
        Assert.Contains("\n>From the start\nline two\n\n", text);
        Assert.EndsWith("line two\n\n", text);
    }

    [Fact]
    public async Task TwoDeliveriesAppendTwoMessagesMimeKitCanSplit()
    {
        await using var h = new AgentHarness();
        var agent = h.LocalAgent();
        for (var i = 0; i < 2; i++)
            await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message($"body {i}\r\n"), "", "local", "x", "alice@example.com"), default);

        await using var stream = File.OpenRead(h.SpoolFile("alice"));
        var parser = new MimeParser(stream, MimeFormat.Mbox);
        var messages = new List<MimeMessage>();
        while (!parser.IsEndOfStream)
            messages.Add(await parser.ParseMessageAsync());
        Assert.Equal(2, messages.Count);
        Assert.StartsWith("From MAILER-DAEMON  ", parser.MboxMarker ?? "");
        Assert.Equal("<>", messages[0].Headers["Return-Path"]);
        Assert.Equal("body 1", messages[1].TextBody?.Trim());
    }

    [Fact]
    public async Task HomeMailboxMaildirWritesOneFileIntoNew()
    {
        await using var h = new AgentHarness("home_mailbox = Maildir/");
        var agent = h.LocalAgent();

        var results = await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "local", "x", "bob@example.com"), default);

        Assert.Equal("delivered to maildir", Assert.Single(results).Outcome.Reason);
        var maildir = Path.Combine(h.Spool, "bob", "Maildir");
        var file = Assert.Single(Directory.GetFiles(Path.Combine(maildir, "new")));
        Assert.Empty(Directory.GetFiles(Path.Combine(maildir, "tmp")));
        Assert.True(Directory.Exists(Path.Combine(maildir, "cur")));
        Assert.Matches(@"^\d+\.M\d+P\d+Q\d+\.", Path.GetFileName(file));
        var text = await File.ReadAllTextAsync(file);
        Assert.StartsWith("Return-Path: <s@remote.example>\nX-Original-To: bob@example.com\nDelivered-To: bob@example.com\nFrom: ", text);
        Assert.EndsWith("\n\nHello.\n", text);
        var parsed = MimeMessage.Load(file);
        Assert.Equal("test", parsed.Subject);
    }

    [Fact]
    public async Task SpoolDirectoryEndingInSlashMeansMaildirPerUser()
    {
        await using var h = new AgentHarness();
        var spool = Path.Combine(h.Root, "maildirs") + "/";
        var agent = h.LocalAgent(h.Parameters.WithOverride("mail_spool_directory", spool));

        var results = await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "local", "x", "carol@example.com"), default);

        Assert.Equal("delivered to maildir", Assert.Single(results).Outcome.Reason);
        Assert.Single(Directory.GetFiles(Path.Combine(spool, "carol", "new")));
    }

    [Fact]
    public async Task UnknownUserBouncesLikePostfix()
    {
        await using var h = new AgentHarness();
        var agent = h.LocalAgent();

        var results = await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "local", "x", "NoSuchUser@example.com"), default);

        var r = Assert.Single(results);
        Assert.Equal(RecipientStatus.Bounced, r.Outcome.Status);
        Assert.Equal("5.1.1", r.Outcome.Dsn);
        Assert.Equal("unknown user: \"nosuchuser\"", r.Outcome.Reason);
    }

    [Fact]
    public async Task ExtensionFallsBackToUserAndKeepsFullDeliveredTo()
    {
        await using var h = new AgentHarness("recipient_delimiter = +");
        var agent = h.LocalAgent();

        var results = await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "local", "x", "alice+lists@example.com"), default);

        Assert.Equal("delivered to mailbox", Assert.Single(results).Outcome.Reason);
        Assert.Contains("\nDelivered-To: alice+lists@example.com\n", h.ReadSpool("alice"));
    }

    [Fact]
    public async Task AliasForUserPlusExtensionIsTriedBeforeUser()
    {
        await using var h = new AgentHarness("recipient_delimiter = +", aliases: "alice+work: bob\n");
        var agent = h.LocalAgent();

        var work = await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "local", "x", "alice+work@example.com"), default);
        var other = await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "local", "x", "alice+home@example.com"), default);

        Assert.Equal("bob@example.com", Assert.Single(work).FinalAddress);
        Assert.Null(Assert.Single(other).FinalAddress);
        Assert.True(File.Exists(h.SpoolFile("bob")));
        Assert.True(File.Exists(h.SpoolFile("alice")));
    }

    [Fact]
    public async Task MailboxSizeLimitBouncesAndLeavesTheMailboxAsItWas()
    {
        await using var h = new AgentHarness("mailbox_size_limit = 400");
        var agent = h.LocalAgent();
        await File.WriteAllTextAsync(h.SpoolFile("alice"), "From x  Thu Nov 26 00:00:00 2026\nSubject: old\n\nold\n\n");
        var before = await File.ReadAllBytesAsync(h.SpoolFile("alice"));

        var results = await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(new string('x', 500) + "\r\n"), "s@remote.example", "local", "x", "alice@example.com"), default);

        var r = Assert.Single(results);
        Assert.Equal(RecipientStatus.Bounced, r.Outcome.Status);
        Assert.Equal("5.2.2", r.Outcome.Dsn);
        Assert.Equal($"cannot update mailbox {h.SpoolFile("alice")} for user alice. error writing message: File too large", r.Outcome.Reason);
        Assert.Equal(before, await File.ReadAllBytesAsync(h.SpoolFile("alice")));
    }

    [Fact]
    public async Task MailboxTransportIsRefusedWithAClearDeferral()
    {
        await using var h = new AgentHarness("mailbox_transport = lmtp:unix:private/dovecot-lmtp");
        var agent = h.LocalAgent();

        var r = Assert.Single(await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "local", "x", "alice@example.com"), default));

        Assert.Equal(RecipientStatus.Deferred, r.Outcome.Status);
        Assert.Contains("mailbox_transport", r.Outcome.Reason);
        Assert.False(File.Exists(h.SpoolFile("alice")));
    }

    [Fact]
    public async Task DeliveredToLoopBounces()
    {
        await using var h = new AgentHarness();
        var agent = h.LocalAgent();
        var message = AgentHarness.Message(extraHeaders: "Delivered-To: ALICE@example.com\r\n");

        var r = Assert.Single(await agent.DeliverAsync(AgentHarness.Request(message, "s@remote.example", "local", "x", "alice@example.com"), default));

        Assert.Equal(RecipientStatus.Bounced, r.Outcome.Status);
        Assert.Equal("5.4.6", r.Outcome.Dsn);
        Assert.Equal("mail forwarding loop for alice@example.com", r.Outcome.Reason);
    }

    [Fact]
    public async Task LuserRelayTakesMailForUnknownUsers()
    {
        await using var h = new AgentHarness("luser_relay = catchall+$local@remote.example");

        var r = Assert.Single(await h.LocalAgent().DeliverAsync(
            AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "local", "x", "stranger@example.com"), default));

        Assert.Equal("catchall+stranger@remote.example", r.FinalAddress);
        Assert.StartsWith("forwarded as ", r.Outcome.Reason);
    }

    [Fact]
    public async Task PostmasterWithoutAnAliasIsDiscardedWithAWarning()
    {
        await using var h = new AgentHarness();

        var r = Assert.Single(await h.LocalAgent().DeliverAsync(
            AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "local", "x", "Postmaster@example.com"), default));

        Assert.Equal(RecipientOutcome.Delivered("2.0.0", "discarded"), r.Outcome);
        Assert.Contains(h.Log.Lines, l => l == "postfix/local: warning: required alias not found: postmaster");
    }
}

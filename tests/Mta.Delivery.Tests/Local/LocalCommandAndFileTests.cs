using Mta.Queue;

namespace Mta.Delivery.Tests.Local;

/// <summary>|command and /file/name destinations: allow_mail_to_commands/files, sysexits, time limit, texts.</summary>
public sealed class LocalCommandAndFileTests
{
    private static async Task<Mta.Delivery.Agents.RecipientResult> DeliverOne(AgentHarness h, string recipient)
    {
        var results = await h.LocalAgent().DeliverAsync(
            AgentHarness.Request(AgentHarness.Message("From me\r\n"), "sender@remote.example", "local", "mx.example.com", recipient), default);
        return Assert.Single(results);
    }

    [Fact]
    public async Task FileDestinationInAliasAppendsInMboxForm()
    {
        await using var h = new AgentHarness();
        var file = Path.Combine(h.Root, "archive");
        await File.WriteAllTextAsync(h.AliasesPath, $"archive: {file}\n");

        var r = await DeliverOne(h, "archive@example.com");

        Assert.Equal(RecipientStatus.Delivered, r.Outcome.Status);
        Assert.Equal($"delivered to file: {file}", r.Outcome.Reason);
        var text = await File.ReadAllTextAsync(file);
        Assert.StartsWith("From sender@remote.example  ", text);
        Assert.Contains("\nDelivered-To: archive@example.com\n", text);
        Assert.EndsWith("\n>From me\n\n", text);
    }

    [Fact]
    public async Task FileDestinationIsRestrictedWhenAliasesMayNotWriteFiles()
    {
        await using var h = new AgentHarness("allow_mail_to_files = forward");
        var file = Path.Combine(h.Root, "archive");
        await File.WriteAllTextAsync(h.AliasesPath, $"archive: {file}\n");

        var r = await DeliverOne(h, "archive@example.com");

        Assert.Equal(RecipientStatus.Bounced, r.Outcome.Status);
        Assert.Equal("mail to file is restricted", r.Outcome.Reason);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task FilesInIncludeFilesAreRestrictedByDefault()
    {
        await using var h = new AgentHarness();
        var file = Path.Combine(h.Root, "archive");
        var members = Path.Combine(h.Root, "members");
        await File.WriteAllTextAsync(members, $"{file}\n");
        await File.WriteAllTextAsync(h.AliasesPath, $"list: :include:{members}\n");

        var r = await DeliverOne(h, "list@example.com");

        Assert.Equal("mail to file is restricted", r.Outcome.Reason);
    }

    [Fact]
    public async Task CommandGetsTheMessageAndTheDeliveryEnvironment()
    {
        await using var h = new AgentHarness();
        var output = Path.Combine(h.Root, "out");
        var command = $"(echo \"$SENDER $RECIPIENT $LOCAL $DOMAIN $ORIGINAL_RECIPIENT\"; cat) > {output}";
        await File.WriteAllTextAsync(h.AliasesPath, $"pipe: \"|{command}\"\n");

        var r = await DeliverOne(h, "pipe@example.com");

        Assert.Equal(RecipientStatus.Delivered, r.Outcome.Status);
        Assert.Equal($"delivered to command: {command}", r.Outcome.Reason);
        var lines = (await File.ReadAllTextAsync(output)).Split('\n');
        Assert.Equal("sender@remote.example pipe@example.com pipe example.com pipe@example.com", lines[0]);
        Assert.StartsWith("From sender@remote.example  ", lines[1]);
        Assert.Equal("Return-Path: <sender@remote.example>", lines[2]);
        Assert.Equal("X-Original-To: pipe@example.com", lines[3]);
        Assert.Equal("Delivered-To: pipe@example.com", lines[4]);
        // Commands get no >From quoting and no trailing blank line.
        Assert.Equal("From me", lines[^2]);
    }

    [Fact]
    public async Task CommandIsRefusedWhenNotAllowed()
    {
        await using var h = new AgentHarness("allow_mail_to_commands = forward");
        var marker = Path.Combine(h.Root, "ran");
        await File.WriteAllTextAsync(h.AliasesPath, $"pipe: \"|touch {marker}\"\n");

        var r = await DeliverOne(h, "pipe@example.com");

        Assert.Equal(RecipientStatus.Bounced, r.Outcome.Status);
        Assert.Equal("mail to command is restricted", r.Outcome.Reason);
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData("exit 75", RecipientStatus.Deferred, "4.3.0", "temporary failure")]
    [InlineData("exit 67", RecipientStatus.Bounced, "5.1.1", "user unknown")]
    [InlineData("echo oops; exit 1", RecipientStatus.Bounced, "5.3.0", "Command died with status 1: \"echo oops; exit 1\". Command output: oops")]
    [InlineData("echo 4.2.2 mailbox full; exit 1", RecipientStatus.Deferred, "4.2.2", "mailbox full")]
    [InlineData("echo busy >&2; exit 75", RecipientStatus.Deferred, "4.3.0", "temporary failure. Command output: busy")]
    public async Task CommandExitStatusFollowsSysexits(string command, RecipientStatus status, string dsn, string reason)
    {
        await using var h = new AgentHarness();
        await File.WriteAllTextAsync(h.AliasesPath, $"pipe: \"|{command}\"\n");

        var r = await DeliverOne(h, "pipe@example.com");

        Assert.Equal(status, r.Outcome.Status);
        Assert.Equal(dsn, r.Outcome.Dsn);
        Assert.Equal(reason, r.Outcome.Reason);
    }

    [Fact]
    public async Task CommandOverTheTimeLimitIsKilledAndBounces()
    {
        await using var h = new AgentHarness("command_time_limit = 1s");
        await File.WriteAllTextAsync(h.AliasesPath, "slow: \"|sleep 30\"\n");
        var started = DateTime.UtcNow;

        var r = await DeliverOne(h, "slow@example.com");

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.Equal(RecipientStatus.Bounced, r.Outcome.Status);
        Assert.Equal("5.3.0", r.Outcome.Dsn);
        Assert.Equal("Command time limit exceeded: \"sleep 30\"", r.Outcome.Reason);
    }

    [Fact]
    public async Task CommandThatNeverReadsALargeMessageStillHitsTheTimeLimit()
    {
        await using var h = new AgentHarness("command_time_limit = 1s");
        await File.WriteAllTextAsync(h.AliasesPath, "slow: \"|sleep 30\"\n");
        var big = AgentHarness.Message(string.Concat(Enumerable.Repeat(new string('x', 998) + "\r\n", 1000)));

        var results = await h.LocalAgent().DeliverAsync(AgentHarness.Request(big, "s@remote.example", "local", "x", "slow@example.com"), default)
            .AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("Command time limit exceeded: \"sleep 30\"", Assert.Single(results).Outcome.Reason);
    }

    [Fact]
    public async Task MailboxCommandDeliversEveryMailboxUserThroughTheShell()
    {
        await using var h = new AgentHarness("mailbox_command = cat > {root}/mbox-$USER");

        var r = await DeliverOne(h, "alice@example.com");

        Assert.Equal($"delivered to command: cat > {h.Root}/mbox-$USER", r.Outcome.Reason);
        Assert.Contains("\nDelivered-To: alice@example.com\n", await File.ReadAllTextAsync(Path.Combine(h.Root, "mbox-alice")));
        Assert.False(File.Exists(h.SpoolFile("alice")));
    }

    [Fact]
    public async Task DotForwardMayUseHomeRelativeFilesAndCommands()
    {
        await using var h = new AgentHarness();
        await File.WriteAllTextAsync(Path.Combine(h.DaveHome, ".forward"), "~/saved, \"|echo $HOME > $HOME/where\"\n");

        var results = await h.LocalAgent().DeliverAsync(
            AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "local", "x", "dave@example.com"), default);

        Assert.Equal([$"delivered to file: {h.DaveHome}/saved", "delivered to command: echo $HOME > $HOME/where"],
            results.Select(r => r.Outcome.Reason).ToArray());
        Assert.Equal(h.DaveHome + "\n", await File.ReadAllTextAsync(Path.Combine(h.DaveHome, "where")));
    }
}

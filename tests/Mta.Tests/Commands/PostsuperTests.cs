using Mta.Queue;
using Mta.Tests.Master;

namespace Mta.Tests.Commands;

/// <summary>postsuper -d/-h/-H/-r by ID, by "-" (IDs on stdin) and ALL, limited to named queues; Postfix's reports on stderr and in the mail log.</summary>
public sealed class PostsuperTests
{
    private static readonly DateTimeOffset Arrival = DateTimeOffset.UtcNow.AddMinutes(-10);

    [Fact]
    public async Task DeleteByIdReportsEachMessageAndTheTotal()
    {
        using var mta = new MtaInstance();
        await using var seeder = new QueueSeeder(mta.FileStore);
        var id = await seeder.IncomingAsync("a@client.example", ["b@remote.example"], Arrival);

        var (status, output, error) = Postsuper(mta, null, "-d", id.Value);

        Assert.Equal((0, "", $"postsuper: {id}: removed\npostsuper: Deleted: 1 message\n"), (status, output, error));
        Assert.Null(await seeder.GetAsync(id));
        Assert.Matches($@"mx postfix/postsuper\[\d+\]: {id}: removed\n", mta.Maillog);
        Assert.Matches(@"mx postfix/postsuper\[\d+\]: Deleted: 1 message\n", mta.Maillog);
    }

    [Fact]
    public async Task DashReadsIdsFromStandardInputAndWarnsAboutBadOnes()
    {
        using var mta = new MtaInstance();
        await using var seeder = new QueueSeeder(mta.FileStore);
        var first = await seeder.IncomingAsync("a@client.example", ["b@remote.example"], Arrival);
        var second = await seeder.HoldAsync("a@client.example", ["c@remote.example"], Arrival);
        var kept = await seeder.IncomingAsync("a@client.example", ["d@remote.example"], Arrival);

        var (status, _, error) = Postsuper(mta, $"{first}\nnot-an-id\n84863BC0E5\n{second}\n", "-d", "-");

        Assert.Equal(0, status);
        Assert.Equal($"postsuper: {first}: removed\npostsuper: warning: invalid mail queue id: not-an-id\npostsuper: {second}: removed\n"
            + "postsuper: Deleted: 2 messages\n", error);
        Assert.NotNull(await seeder.GetAsync(kept));
    }

    [Fact]
    public async Task HoldReleaseAndRequeueMoveMessagesBetweenQueues()
    {
        using var mta = new MtaInstance();
        await using var seeder = new QueueSeeder(mta.FileStore);
        var deferred = await seeder.DeferredAsync("a@client.example", ["done@remote.example", "b@remote.example"],
            [RecipientOutcome.Delivered("2.0.0", "250 ok"), RecipientOutcome.Deferred("4.4.1", "connection refused")], Arrival);
        var incoming = await seeder.IncomingAsync("a@client.example", ["c@remote.example"], Arrival);

        Assert.Equal((0, "", $"postsuper: {deferred}: placed on hold\npostsuper: Placed on hold: 1 message\n"), Postsuper(mta, null, "-h", deferred.Value));
        Assert.Equal(QueueName.Hold, (await seeder.GetAsync(deferred))!.Queue);

        Assert.Equal((0, "", $"postsuper: {deferred}: released from hold\npostsuper: Released from hold: 1 message\n"),
            Postsuper(mta, null, "-H", deferred.Value));
        Assert.Equal(QueueName.Deferred, (await seeder.GetAsync(deferred))!.Queue);

        Assert.Equal((0, "", $"postsuper: {deferred}: requeued\npostsuper: Requeued: 1 message\n"), Postsuper(mta, null, "-r", deferred.Value));
        var requeued = (await seeder.GetAsync(deferred))!;
        Assert.Equal(QueueName.Incoming, requeued.Queue);
        Assert.Equal(RecipientStatus.Delivered, requeued.Recipients[0].Status);

        // -H only takes messages from hold: an incoming message is not "released" and nothing is reported.
        Assert.Equal((0, "", ""), Postsuper(mta, null, "-H", incoming.Value));
        Assert.Equal(QueueName.Incoming, (await seeder.GetAsync(incoming))!.Queue);
    }

    [Fact]
    public async Task AllIsLimitedToTheNamedQueuesAndReportsOnlyTheTotal()
    {
        using var mta = new MtaInstance();
        await using var seeder = new QueueSeeder(mta.FileStore);
        var deferred1 = await seeder.DeferredAsync("a@client.example", ["b@remote.example"], [RecipientOutcome.Deferred("4.4.1", "x")], Arrival);
        var deferred2 = await seeder.DeferredAsync("a@client.example", ["c@remote.example"], [RecipientOutcome.Deferred("4.4.1", "x")], Arrival);
        var incoming = await seeder.IncomingAsync("a@client.example", ["d@remote.example"], Arrival);

        Assert.Equal((0, "", "postsuper: Placed on hold: 2 messages\n"), Postsuper(mta, null, "-h", "ALL", "deferred"));
        Assert.Equal(QueueName.Hold, (await seeder.GetAsync(deferred1))!.Queue);
        Assert.Equal(QueueName.Hold, (await seeder.GetAsync(deferred2))!.Queue);
        Assert.Equal(QueueName.Incoming, (await seeder.GetAsync(incoming))!.Queue);

        Assert.Equal((0, "", "postsuper: Deleted: 2 messages\n"), Postsuper(mta, null, "-d", "ALL", "hold"));
        Assert.NotNull(await seeder.GetAsync(incoming));

        // A message by ID that is not in the named queue is left alone.
        Assert.Equal((0, "", ""), Postsuper(mta, null, "-d", incoming.Value, "deferred"));
        Assert.Equal((0, "", "postsuper: Deleted: 1 message\n"), Postsuper(mta, null, "-d", "ALL"));
        Assert.Equal("Mail queue is empty\n", MtaInstance.Run("mailq", "-C", mta.ConfigDirectory).Output);
    }

    [Theory]
    [InlineData(new[] { "-x" }, "postsuper: invalid option -- 'x'\npostsuper: fatal: usage: postsuper [-c config_dir] [-d queue_id (delete)] "
        + "[-e queue_id (expire)] [-f queue_id (expire and/or un-hold)] [-h queue_id (hold)] [-H queue_id (un-hold)] [-p (purge temporary files)] "
        + "[-r queue_id (requeue)] [-s (structure fix)] [-S (redundant structure fix)][-v (verbose)] [queue...]\n")]
    [InlineData(new[] { "-c", "relative", "-d", "X" }, "postsuper: fatal: -c requires absolute pathname\n")]
    public void BadArgumentsGetPostfixText(string[] args, string expected)
    {
        var result = ProcessRunner.Invoke("/usr/sbin/postsuper", args);
        Assert.Equal(("", expected, 1), (result.Stdout, result.Stderr, result.ExitCode));
    }

    private static (int Status, string Output, string Error) Postsuper(MtaInstance mta, string? stdin, params string[] args) =>
        MtaInstance.Run(stdin, TimeSpan.FromSeconds(30), ["postsuper", "-c", mta.ConfigDirectory, .. args]);
}

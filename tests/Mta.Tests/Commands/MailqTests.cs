using System.Text.Json;
using Mta.Queue;
using Mta.Tests.Master;

namespace Mta.Tests.Commands;

/// <summary>
/// mailq, sendmail -bp and postqueue -p/-j over a file queue seeded with every state, compared with Postfix's
/// layout (showq_compat.c with enable_long_queue_ids = yes: our IDs are long IDs) and its JSON object format.
/// </summary>
public sealed class MailqTests
{
    private const string Header = "----Queue ID----- --Size-- ---Arrival Time---- --Sender/Recipient------\n";
    private const string Refused = "connect to mx.remote.example[192.0.2.1]:25: Connection refused";
    private const string Greylisted = "host mx.other.example[192.0.2.2] said: 450 4.7.1 greylisted (in reply to RCPT TO command)";
    private static readonly string Indent = new(' ', 47);

    [Fact]
    public void EmptyQueueSaysSo()
    {
        using var mta = new MtaInstance();
        var (status, output, error) = Run("mailq", "-C", mta.ConfigDirectory);
        Assert.Equal((0, "Mail queue is empty\n", ""), (status, output, error));

        // Started as a link named mailq (or postqueue), as /usr/bin/mailq is.
        Assert.Equal(new CommandResult("Mail queue is empty\n", "", 0), ProcessRunner.Invoke("/usr/bin/mailq", "-C", mta.ConfigDirectory));
        Assert.Equal(new CommandResult("Mail queue is empty\n", "", 0), ProcessRunner.Invoke("/usr/sbin/postqueue", "-c", mta.ConfigDirectory, "-p"));
    }

    [Fact]
    public async Task ListsEveryQueueInShowqOrderWithMarksReasonsAndFooter()
    {
        using var mta = new MtaInstance();
        var seeded = await SeedAllStatesAsync(mta.FileStore);

        var expected = Header
            + $"{seeded.Incoming,-17} {500,8} Thu Nov 26 00:30:00 erin@client.example\n"
            + $"{Indent}frank@remote.example\n"
            + "\n"
            + $"{seeded.Active + "*",-17} {300,8} Thu Nov  5 09:07:03 alice@client.example\n"
            + $"{Indent}bob@remote.example\n"
            + "\n"
            + $"{seeded.Deferred,-17} {2048,8} Tue Nov 24 23:59:59 MAILER-DAEMON\n"
            + $"              ({Refused})\n"
            + $"{Indent}r1@remote.example\n"
            + $"{Indent}r2@remote.example\n"
            + $"{Reason(Greylisted)}\n"
            + $"{Indent}r4@other.example\n"
            + $"{Reason("reason unavailable")}\n"
            + $"{Indent}r5@other.example\n"
            + "\n"
            + $"{seeded.Hold + "!",-17} {1000,8} Wed Nov 25 12:00:00 carol@client.example\n"
            + $"{Indent}dave@remote.example\n"
            + "\n"
            + "-- 3 Kbytes in 4 Requests.\n";

        foreach (var command in new[] { new[] { "mailq", "-C", mta.ConfigDirectory }, ["postqueue", "-c", mta.ConfigDirectory, "-p"],
                     ["sendmail", "-C", mta.ConfigDirectory, "-bp"] })
        {
            var (status, output, error) = Run(command);
            Assert.Equal("", error);
            Assert.Equal(0, status);
            Assert.Equal(expected, output);
        }
    }

    [Fact]
    public async Task JsonLinesCarryPostfixMembersInPostfixOrder()
    {
        using var mta = new MtaInstance();
        var seeded = await SeedAllStatesAsync(mta.FileStore);

        var (status, output, error) = Run("postqueue", "-c", mta.ConfigDirectory, "-j");

        Assert.Equal((0, ""), (status, error));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        var deferredArrival = new DateTimeOffset(new DateTime(2026, 11, 24, 23, 59, 59, DateTimeKind.Local)).ToUnixTimeSeconds();
        Assert.Equal(
            $"{{\"queue_name\": \"deferred\", \"queue_id\": \"{seeded.Deferred}\", \"arrival_time\": {deferredArrival}, \"message_size\": 2048, "
            + "\"forced_expire\": false, \"sender\": \"MAILER-DAEMON\", \"recipients\": ["
            + $"{{\"address\": \"r1@remote.example\", \"delay_reason\": \"{Refused}\"}}, "
            + $"{{\"address\": \"r2@remote.example\", \"delay_reason\": \"{Refused}\"}}, "
            + $"{{\"address\": \"r4@other.example\", \"delay_reason\": \"{Greylisted}\"}}, "
            + "{\"address\": \"r5@other.example\"}]}",
            lines[2]);
        var queues = new List<string>();
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal(["queue_name", "queue_id", "arrival_time", "message_size", "forced_expire", "sender", "recipients"],
                json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("arrival_time").ValueKind);
            Assert.Equal(JsonValueKind.False, json.RootElement.GetProperty("forced_expire").ValueKind);
            queues.Add(json.RootElement.GetProperty("queue_name").GetString()!);
        }
        Assert.Equal(["incoming", "active", "deferred", "hold"], queues);
    }

    [Fact]
    public async Task FlushMakesDeferredMailReadyAndFlushOneTouchesOnlyThatMessage()
    {
        // sendmail -qIid is postqueue -i id; sendmail -q is postqueue -f.
        using var mta = new MtaInstance();
        await using var seeder = new QueueSeeder(mta.FileStore);
        var arrival = DateTimeOffset.UtcNow.AddMinutes(-30);
        var first = await seeder.DeferredAsync("a@client.example", ["done@remote.example", "later@remote.example"],
            [RecipientOutcome.Delivered("2.0.0", "250 ok"), RecipientOutcome.Deferred("4.4.1", Refused)], arrival);
        var second = await seeder.DeferredAsync("a@client.example", ["x@other.example"], [RecipientOutcome.Deferred("4.4.1", Refused)], arrival);

        Assert.Equal((0, "", ""), Run("sendmail", "-C", mta.ConfigDirectory, $"-qI{first}"));
        var one = await seeder.GetAsync(first);
        Assert.Equal(QueueName.Incoming, one!.Queue);
        Assert.Null(one.NotBefore);
        Assert.Equal([RecipientStatus.Delivered, RecipientStatus.Deferred], one.Recipients.Select(r => r.Status));
        Assert.Equal(QueueName.Deferred, (await seeder.GetAsync(second))!.Queue);
        Assert.NotNull((await seeder.GetAsync(second))!.NotBefore);

        Assert.Equal((0, "", ""), Run("sendmail", "-C", mta.ConfigDirectory, "-q"));
        Assert.Null((await seeder.GetAsync(second))!.NotBefore);
    }

    [Fact]
    public async Task FlushSiteRequeuesOnlyMailForThatSite()
    {
        using var mta = new MtaInstance();
        await using var seeder = new QueueSeeder(mta.FileStore);
        var arrival = DateTimeOffset.UtcNow.AddMinutes(-30);
        var forSite = await seeder.DeferredAsync("a@client.example", ["x@Remote.Example"], [RecipientOutcome.Deferred("4.4.1", Refused)], arrival);
        var other = await seeder.DeferredAsync("a@client.example", ["x@other.example"], [RecipientOutcome.Deferred("4.4.1", Refused)], arrival);

        Assert.Equal((0, "", ""), Run("postqueue", "-c", mta.ConfigDirectory, "-s", "remote.example"));

        Assert.Equal(QueueName.Incoming, (await seeder.GetAsync(forSite))!.Queue);
        Assert.Equal(QueueName.Deferred, (await seeder.GetAsync(other))!.Queue);

        // sendmail -qRsite is postqueue -s site.
        Assert.Equal((0, "", ""), Run("sendmail", "-C", mta.ConfigDirectory, "-qRother.example"));
        Assert.Equal(QueueName.Incoming, (await seeder.GetAsync(other))!.Queue);
    }

    [Theory]
    [InlineData(new[] { "-x" }, "postqueue: invalid option -- 'x'\npostqueue: fatal: usage: postqueue -f | postqueue -i queueid | postqueue -j | postqueue -p | postqueue -s site\n")]
    [InlineData(new[] { "-p", "-f" }, "postqueue: fatal: usage: postqueue -f | postqueue -i queueid | postqueue -j | postqueue -p | postqueue -s site\n")]
    [InlineData(new[] { "-i" }, "postqueue: option requires an argument -- 'i'\npostqueue: fatal: usage: postqueue -f | postqueue -i queueid | postqueue -j | postqueue -p | postqueue -s site\n")]
    [InlineData(new[] { "-i", "bad!" }, "postqueue: fatal: Cannot flush queue ID - invalid name: \"bad!\"\n")]
    [InlineData(new[] { "-s", "bad site" }, "postqueue: fatal: Cannot flush mail queue - invalid destination: \"bad site\"\n")]
    public void BadArgumentsGetPostfixTextAndStatus(string[] args, string expected)
    {
        // Debian's postqueue 3.7 answers each of these on stderr with exit status 69.
        var result = ProcessRunner.Invoke("/usr/sbin/postqueue", args);
        Assert.Equal(("", expected, 69), (result.Stdout, result.Stderr, result.ExitCode));
    }

    internal sealed record Seeded(QueueId Incoming, QueueId Active, QueueId Deferred, QueueId Hold);

    /// <summary>One message per queue; the deferred one has two recipients with one reason, a delivered one, another reason and a pending one.</summary>
    internal static async Task<Seeded> SeedAllStatesAsync(QueueStoreSettings settings)
    {
        await using var seeder = new QueueSeeder(settings);
        var active = await seeder.ActiveAsync("alice@client.example", ["bob@remote.example"], Local(2026, 11, 5, 9, 7, 3), 300);
        var deferred = await seeder.DeferredAsync("",
            ["r1@remote.example", "r2@remote.example", "r3@other.example", "r4@other.example", "r5@other.example"],
            [RecipientOutcome.Deferred("4.4.1", Refused), RecipientOutcome.Deferred("4.4.1", Refused), RecipientOutcome.Delivered("2.0.0", "250 ok"),
                RecipientOutcome.Deferred("4.7.1", Greylisted), null],
            Local(2026, 11, 24, 23, 59, 59), 2048);
        var hold = await seeder.HoldAsync("carol@client.example", ["dave@remote.example"], Local(2026, 11, 25, 12, 0, 0), 1000);
        var incoming = await seeder.IncomingAsync("erin@client.example", ["frank@remote.example"], Local(2026, 11, 26, 0, 30, 0), 500);
        return new Seeded(incoming, active, deferred, hold);
    }

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute, int second) =>
        new(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Local));

    // showq: "%*s(%s)" with a padding of 76 minus the reason's length, so the ")" lands in column 78.
    private static string Reason(string reason) => new string(' ', Math.Max(0, 76 - reason.Length)) + $"({reason})";

    private static (int Status, string Output, string Error) Run(params string[] args) => MtaInstance.Run(null, TimeSpan.FromSeconds(30), args);
}

using Mta.Queue;
using Mta.Tests.Master;

namespace Mta.Tests.Commands;

/// <summary>qshape over a seeded queue: Postfix's buckets (T 5 10 20 ... 1280 1280+), TOTAL first, rows by count.</summary>
public sealed class QshapeTests
{
    private const string Heads = "                                         T  5 10 20 40 80 160 320 640 1280 1280+\n";

    [Fact]
    public async Task CountsRecipientDomainsByAgeInPostfixBuckets()
    {
        using var mta = new MtaInstance();
        await SeedAsync(mta);

        var (status, output, error) = MtaInstance.Run(null, TimeSpan.FromSeconds(30), "qshape", "-c", mta.ConfigDirectory, "incoming", "deferred");

        Assert.Equal((0, ""), (status, error));
        Assert.Equal(Heads
            + "                                  TOTAL  6  1  1  0  2  0   0   0   0    0     2\n"
            + "                         remote.example  3  1  0  0  2  0   0   0   0    0     0\n"
            + "                          other.example  2  0  1  0  0  0   0   0   0    0     1\n"
            + "                       mx.third.example  1  0  0  0  0  0   0   0   0    0     1\n",
            output);
    }

    [Fact]
    public async Task SendersAndTheDefaultQueues()
    {
        using var mta = new MtaInstance();
        await SeedAsync(mta);

        // Default queues are incoming and active: the deferred message (the oldest) is not counted.
        var (status, output, _) = MtaInstance.Run(null, TimeSpan.FromSeconds(30), "qshape", "-s", "-c", mta.ConfigDirectory);

        Assert.Equal(0, status);
        Assert.Equal(Heads
            + "                                  TOTAL  3  1  1  0  1  0   0   0   0    0     0\n"
            + "                         client.example  2  1  0  0  1  0   0   0   0    0     0\n"
            + "                          MAILER-DAEMON  1  0  1  0  0  0   0   0   0    0     0\n",
            output);
    }

    [Fact]
    public async Task ParentDomainsWithEnoughSubdomainsGetTheirOwnRow()
    {
        using var mta = new MtaInstance();
        await using (var seeder = new QueueSeeder(mta.FileStore))
            await seeder.IncomingAsync("a@client.example", ["x@a.example.com", "x@b.example.com", "x@c.example.com", "x@d.example.com", "x@e.example.com"],
                DateTimeOffset.UtcNow.AddMinutes(-1));

        var (status, output, _) = MtaInstance.Run(null, TimeSpan.FromSeconds(30), "qshape", "-p", "-c", mta.ConfigDirectory);

        Assert.Equal(0, status);
        var row = "  5  5  0  0  0  0   0   0   0    0     0\n";
        var one = "  1  1  0  0  0  0   0   0   0    0     0\n";
        Assert.Equal(Heads + "                                  TOTAL" + row + "                           .example.com" + row
            + string.Concat("abcde".Select(c => $"                          {c}.example.com{one}")), output);

        // Fewer subdomains than -m asks for: no parent row.
        Assert.DoesNotContain(" .example.com ", MtaInstance.Run(null, TimeSpan.FromSeconds(30), "qshape", "-p", "-m", "6", "-c", mta.ConfigDirectory).Output);
    }

    // Ages: 1 minute (bucket "5"), 7 minutes ("10"), 30 minutes ("40") and three days ("1280+"); the delivered
    // recipient of the deferred message is not counted.
    private static async Task SeedAsync(MtaInstance mta)
    {
        var now = DateTimeOffset.UtcNow;
        await using var seeder = new QueueSeeder(mta.FileStore);
        await seeder.DeferredAsync("old@client.example", ["a@other.example", "b@MX.Third.Example", "done@remote.example"],
            [RecipientOutcome.Deferred("4.4.1", "x"), RecipientOutcome.Deferred("4.4.1", "x"), RecipientOutcome.Delivered("2.0.0", "ok")], now.AddDays(-3));
        await seeder.IncomingAsync("new@client.example", ["c@remote.example"], now.AddMinutes(-1));
        await seeder.IncomingAsync("", ["d@other.example"], now.AddMinutes(-7));
        await seeder.IncomingAsync("half@client.example", ["e@remote.example", "f@Remote.Example"], now.AddMinutes(-30));
    }
}

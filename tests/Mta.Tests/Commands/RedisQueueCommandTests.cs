using Mta.Queue;
using Mta.Tests.Master;
using Mta.Tests.Redis;

namespace Mta.Tests.Commands;

/// <summary>With queue_backend = redis the queue commands read and change the shared queue (the whole fleet's), against a real redis-server.</summary>
public sealed class RedisQueueCommandTests
{
    [Fact]
    public async Task MailqJsonAndPostsuperWorkOnTheRedisQueue()
    {
        await using var redis = await RedisServer.StartNewAsync();
        using var mta = new MtaInstance($"queue_backend = redis\nredis_url = {redis.Url}?timeout=2000");
        var seeded = await MailqTests.SeedAllStatesAsync(redis.Settings);

        var (status, output, error) = MtaInstance.Run("mailq", "-C", mta.ConfigDirectory);
        Assert.Equal((0, ""), (status, error));
        Assert.StartsWith("----Queue ID----- --Size-- ---Arrival Time---- --Sender/Recipient------\n", output);
        Assert.Contains($"\n{seeded.Active + "*",-17} {300,8} Thu Nov  5 09:07:03 alice@client.example\n", output);
        Assert.Contains($"\n{seeded.Hold + "!",-17} {1000,8} Wed Nov 25 12:00:00 carol@client.example\n", output);
        Assert.EndsWith("\n-- 3 Kbytes in 4 Requests.\n", output);
        Assert.Empty(Directory.Exists(mta.QueueDirectory) ? Directory.GetFiles(mta.QueueDirectory, "*", SearchOption.AllDirectories) : []);

        var json = MtaInstance.Run("postqueue", "-c", mta.ConfigDirectory, "-j").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, json.Length);
        Assert.StartsWith($"{{\"queue_name\": \"deferred\", \"queue_id\": \"{seeded.Deferred}\"", json[2]);

        var deleted = MtaInstance.Run("postsuper", "-c", mta.ConfigDirectory, "-d", seeded.Deferred.Value);
        Assert.Equal((0, $"postsuper: {seeded.Deferred}: removed\npostsuper: Deleted: 1 message\n"), (deleted.Status, deleted.Error));
        var released = MtaInstance.Run("postsuper", "-c", mta.ConfigDirectory, "-H", "ALL");
        Assert.Equal((0, "postsuper: Released from hold: 1 message\n"), (released.Status, released.Error));

        var left = await MtaInstance.QueuedAsync(redis.Settings);
        Assert.DoesNotContain(left, m => m.Id == seeded.Deferred);
        Assert.Equal(QueueName.Deferred, left.Single(m => m.Id == seeded.Hold).Queue);
    }

    [Fact]
    public async Task PostaliasLoadsARedisTableThatLookupsSee()
    {
        await using var redis = await RedisServer.StartNewAsync();
        using var mta = new MtaInstance($"queue_backend = redis\nredis_url = {redis.Url}?timeout=2000");
        var source = Path.Combine(mta.Root, "aliases");
        File.WriteAllText(source, "postmaster: root\nRoot: admin@example.com,  ops@example.com\nroot: duplicate\n");

        var build = MtaInstance.Run("postalias", "-c", mta.ConfigDirectory, "redis:" + source);
        Assert.Equal((0, "", $"postalias: warning: redis:{source}: duplicate entry: \"root\"\n"), build);
        Assert.False(File.Exists(source + ".db"));

        Assert.Equal((0, "admin@example.com, ops@example.com\n", ""), MtaInstance.Run("postalias", "-c", mta.ConfigDirectory, "-q", "ROOT", "redis:" + source));
        Assert.Equal((1, "", ""), MtaInstance.Run("postalias", "-c", mta.ConfigDirectory, "-q", "nobody", "redis:" + source));
        Assert.Equal((0, "postmaster:\troot\n@:\t@\n", ""),
            MtaInstance.Run("postmaster\n@\n", TimeSpan.FromSeconds(30), "postalias", "-c", mta.ConfigDirectory, "-q", "-", "redis:" + source));
    }

    [Fact]
    public async Task UnreachableRedisIsReportedAsPostfixDoesWhenTheMailSystemIsDown()
    {
        RedisServer stopped;
        await using (stopped = await RedisServer.StartNewAsync())
        {
        }
        using var mta = new MtaInstance($"queue_backend = redis\nredis_url = {stopped.Url}?timeout=500");

        Assert.Equal((69, "", "postqueue: fatal: Queue report unavailable - mail system is down\n"), MtaInstance.Run("mailq", "-C", mta.ConfigDirectory));
        Assert.Equal((69, "", "postqueue: fatal: Cannot flush mail queue - mail system is down\n"),
            MtaInstance.Run("postqueue", "-c", mta.ConfigDirectory, "-f"));
    }
}

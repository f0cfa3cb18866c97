using Mta.Queue.Coordination;
using Mta.Queue.File;
using Mta.Queue.Redis;

namespace Mta.Queue.Tests.Coordination;

/// <summary>The store decides the coordination: fleet-wide over Redis, in process over the file queue.</summary>
public sealed class QueueCoordinationTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task RedisQueueGetsFleetWideLeasesAndSlots()
    {
        await using var store = await RedisQueueStore.OpenAsync(new RedisQueueStoreOptions(redis.Server.Url)
        {
            Shards = 4, KeyPrefix = "t" + Guid.NewGuid().ToString("N")[..8], OperationTimeout = TimeSpan.FromSeconds(3),
        });
        var (shards, slots) = QueueCoordination.For(store, QueueCoordination.NewHolderName());
        await using var _ = shards;
        Assert.IsType<RedisShardLeases>(shards);
        Assert.IsType<RedisDestinationSlots>(slots);
        await shards.StartAsync(default);
        Assert.Equal([0, 1, 2, 3], shards.Owned); // alone: every shard
    }

    [Fact]
    public async Task FileQueueGetsTheOneShardAndInProcessSlots()
    {
        var directory = Directory.CreateTempSubdirectory("mta-coord-").FullName;
        try
        {
            await using var store = FileQueueStore.Open(new FileQueueStoreOptions(directory));
            var (shards, slots) = QueueCoordination.For(store, QueueCoordination.NewHolderName());
            await using var _ = shards;
            Assert.IsType<SingleShardLeases>(shards);
            Assert.IsType<InProcessDestinationSlots>(slots);
            await shards.StartAsync(default);
            Assert.Equal([0], shards.Owned);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void HolderNamesAreUnique()
    {
        var names = Enumerable.Range(0, 100).Select(_ => QueueCoordination.NewHolderName()).ToHashSet();
        Assert.Equal(100, names.Count);
        Assert.StartsWith($"{Environment.MachineName}:{Environment.ProcessId}:", names.First());
    }
}

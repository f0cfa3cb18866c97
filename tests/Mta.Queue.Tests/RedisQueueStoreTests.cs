using System.Text.RegularExpressions;
using Mta.Queue.Redis;
using StackExchange.Redis;

namespace Mta.Queue.Tests;

/// <summary>The contract against the Redis store on a real redis-server, plus Redis-only properties.</summary>
public sealed class RedisQueueStoreTests(RedisServerFixture fixture) : QueueStoreContract, IClassFixture<RedisServerFixture>
{
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..12];
    private ConnectionMultiplexer? _inspector;

    private RedisQueueStoreOptions Options => new(fixture.Server.Url)
    {
        KeyPrefix = _prefix,
        Shards = 4,
        OperationTimeout = TimeSpan.FromSeconds(2),
    };

    protected override async Task<IMailQueue> OpenStoreAsync() => await RedisQueueStore.OpenAsync(Options);

    private async Task<List<string>> KeysAsync()
    {
        _inspector ??= await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Server.Port}");
        var server = _inspector.GetServer(_inspector.GetEndPoints()[0]);
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: _prefix + ":*")) keys.Add(key!);
        return keys;
    }

    protected override async Task<int> CountLeftoversAsync()
    {
        var keys = (await KeysAsync()).ToHashSet();
        return keys.Count(k => k.Contains(":b:", StringComparison.Ordinal) && !keys.Contains(k.Replace(":b:", ":m:")));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_inspector is not null) await _inspector.DisposeAsync();
    }

    [Fact]
    public async Task EveryKeyOfAMessageSharesItsShardHashTag()
    {
        for (int i = 0; i < 8; i++) await EnqueueAsync();
        var lease = (await Store.ClaimNextAsync("qmgr", LongLease, default))!;
        await Store.FinishAsync(lease, DateTimeOffset.UtcNow.AddHours(1), default);
        var tag = new Regex(@"^" + _prefix + @":(\{q\d+\}):");
        var keys = await KeysAsync();
        foreach (var key in keys.Where(k => k != _prefix + ":idnode"))
            Assert.Matches(tag, key);
        var db = _inspector!.GetDatabase();
        foreach (var index in keys.Where(k => Regex.IsMatch(k, @":(incoming|active|deferred|hold|corrupt)$")))
        {
            string shard = tag.Match(index).Groups[1].Value;
            foreach (var id in await db.SortedSetRangeByRankAsync(index))
            {
                Assert.Contains($"{_prefix}:{shard}:m:{id}", keys);
                Assert.Contains($"{_prefix}:{shard}:b:{id}", keys);
            }
        }
    }

    [Fact]
    public async Task WithoutTheRequiredReplicaTheMessageIsWithdrawn()
    {
        await using var store = await RedisQueueStore.OpenAsync(Options with { WaitReplicas = 1, WaitTimeout = TimeSpan.FromMilliseconds(100) });
        var id = store.NewQueueId();
        await using var writer = await store.BeginMessageAsync(id, default);
        await writer.WriteAsync(new byte[] { 1, 2, 3 }, default);
        await Assert.ThrowsAsync<QueueUnavailableException>(async () => await writer.CommitAsync(SampleEnvelope(), default));
        Assert.Null(await store.GetAsync(id, default));
        Assert.Equal(0, await CountLeftoversAsync());
    }

    [Fact]
    public async Task UnreachableRedisIsQueueUnavailable()
    {
        var options = Options with { RedisUrl = "redis://127.0.0.1:1", OperationTimeout = TimeSpan.FromMilliseconds(500) };
        await Assert.ThrowsAsync<QueueUnavailableException>(() => RedisQueueStore.OpenAsync(options));
    }

    [Fact]
    public async Task ReportsRedisMemoryForTheMetrics()
    {
        var (used, max) = await ((RedisQueueStore)Store).GetMemoryAsync(default);
        Assert.True(used > 100_000, $"used_memory {used}");
        Assert.Equal(0, max); // the test server has no maxmemory
    }
}

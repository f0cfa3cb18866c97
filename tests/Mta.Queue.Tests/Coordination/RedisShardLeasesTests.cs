using Mta.Queue.Redis;
using StackExchange.Redis;

namespace Mta.Queue.Tests.Coordination;

/// <summary>qmgr replicas share the queue's shards through Redis leases: fairly, disjointly, and with take-over.</summary>
public sealed class RedisShardLeasesTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(6);

    private ShardLeaseReplicas NewReplicas() => new(redis.Server.Url, "t" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Each shard's lease key in Redis names the replica that believes it owns the shard.</summary>
    private static async Task AssertRedisAgreesAsync(string url, string prefix, ShardLeaseReplicas replicas, int count)
    {
        await using var inspector = await ConnectionMultiplexer.ConnectAsync(url.Replace("redis://", ""));
        var db = inspector.GetDatabase();
        for (int r = 0; r < count; r++)
            foreach (int shard in replicas.Leases[r].Owned)
                Assert.Equal(replicas.HolderOf(r), (string?)await db.StringGetAsync($"{prefix}:{{q{shard}}}:qmgr-lease"));
    }

    [Fact]
    public async Task OneReplicaHoldsEveryShard()
    {
        await using var replicas = NewReplicas();
        await replicas.StartAsync();
        await Eventually.HoldsAsync(() => replicas.SplitAmong([0], 16, 16), Settle, "one replica owns all 16 shards");
    }

    [Fact]
    public async Task TwoReplicasSplitSixteenShardsEightEachDisjointly()
    {
        string prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        await using var replicas = new ShardLeaseReplicas(redis.Server.Url, prefix);
        await Task.WhenAll(replicas.StartAsync(), replicas.StartAsync());
        await Eventually.HoldsAsync(() => replicas.SplitAmong([0, 1], 8, 8), Settle, "8 + 8 disjoint shards");
        await AssertRedisAgreesAsync(redis.Server.Url, prefix, replicas, 2);
    }

    [Fact]
    public async Task ThirdReplicaJoiningGetsItsShareFromTheOthers()
    {
        string prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        await using var replicas = new ShardLeaseReplicas(redis.Server.Url, prefix);
        await replicas.StartAsync();
        await replicas.StartAsync();
        await Eventually.HoldsAsync(() => replicas.SplitAmong([0, 1], 8, 8), Settle, "8 + 8 before the third joins");
        await replicas.StartAsync();
        // ceil(16 / 3) = 6 at most each, so 4..6 each and all 16 covered.
        await Eventually.HoldsAsync(() => replicas.SplitAmong([0, 1, 2], 4, 6), Settle, "three replicas share 16 shards, at most 6 each");
        await AssertRedisAgreesAsync(redis.Server.Url, prefix, replicas, 3);
    }

    [Fact]
    public async Task DisposedReplicaHandsItsShardsOverAtOnce()
    {
        await using var replicas = NewReplicas();
        await replicas.StartAsync();
        await replicas.StartAsync();
        await Eventually.HoldsAsync(() => replicas.SplitAmong([0, 1], 8, 8), Settle, "8 + 8");
        await replicas.Leases[1].DisposeAsync();
        Assert.Empty(replicas.Leases[1].Owned);
        // Released leases and registry entry: the survivor takes everything at its next heartbeats, no lease wait.
        var took = await Eventually.HoldsAsync(() => replicas.SplitAmong([0], 16, 16), Settle, "survivor owns all 16");
        Assert.True(took < ShardLeaseReplicas.Lease, $"graceful hand-over took {took}");
    }

    [Fact]
    public async Task KilledReplicasShardsAreTakenOverWithinTheLeasePeriod()
    {
        await using var replicas = NewReplicas();
        await replicas.StartAsync();
        await replicas.StartAsync();
        await Eventually.HoldsAsync(() => replicas.SplitAmong([0, 1], 8, 8), Settle, "8 + 8");
        await replicas.KillAsync(1);
        // Take-over bound: the dead replica's leases run out (one lease) and the next heartbeat takes them.
        var bound = ShardLeaseReplicas.Lease + ShardLeaseReplicas.Heartbeat * 2;
        var took = await Eventually.HoldsAsync(() => replicas.Leases[0].Owned.Count == 16, bound + TimeSpan.FromSeconds(1), "survivor owns all 16");
        Assert.True(took <= bound, $"take-over took {took}, bound {bound}");
        // The dead replica no longer claims anything once its leases could have run out.
        Assert.Empty(replicas.Leases[1].Owned);
    }

    [Fact]
    public async Task ThreeReplicasStartingTogetherSplitFairlyAndTwoTakeOverFromAKilledOne()
    {
        string prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        await using var replicas = new ShardLeaseReplicas(redis.Server.Url, prefix);
        await Task.WhenAll(replicas.StartAsync(), replicas.StartAsync(), replicas.StartAsync());
        await Eventually.HoldsAsync(() => replicas.SplitAmong([0, 1, 2], 4, 6), Settle, "three replicas share 16 shards, at most 6 each");
        await AssertRedisAgreesAsync(redis.Server.Url, prefix, replicas, 3);
        await replicas.KillAsync(2);
        var bound = ShardLeaseReplicas.Lease + ShardLeaseReplicas.Heartbeat * 3;
        var took = await Eventually.HoldsAsync(() => replicas.SplitAmong([0, 1], 8, 8), bound + TimeSpan.FromSeconds(1), "two survivors at 8 + 8");
        Assert.True(took <= bound, $"take-over took {took}, bound {bound}");
        await AssertRedisAgreesAsync(redis.Server.Url, prefix, replicas, 2);
    }

    [Fact]
    public async Task LeasesRecoverAfterRedisRestart()
    {
        await using var server = await RedisServer.StartAsync();
        string prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        await using var replicas = new ShardLeaseReplicas(server.Url, prefix);
        await replicas.StartAsync();
        await replicas.StartAsync();
        await Eventually.HoldsAsync(() => replicas.SplitAmong([0, 1], 8, 8), Settle, "8 + 8 before the restart");
        await server.RestartAsync();
        // Past one lease after the restart, what the replicas hold can only come from renewals made since.
        await Task.Delay(ShardLeaseReplicas.Lease + ShardLeaseReplicas.Heartbeat);
        await Eventually.HoldsAsync(() => replicas.SplitAmong([0, 1], 8, 8), TimeSpan.FromSeconds(5), "8 + 8 after the restart");
        await AssertRedisAgreesAsync(server.Url, prefix, replicas, 2);
    }

    [Fact]
    public async Task LeasesAreTakenAgainWhenRedisLosesThem()
    {
        string prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        await using var replicas = new ShardLeaseReplicas(redis.Server.Url, prefix);
        await replicas.StartAsync();
        await replicas.StartAsync();
        await Eventually.HoldsAsync(() => replicas.SplitAmong([0, 1], 8, 8), Settle, "8 + 8");
        // A Redis without persistence comes back empty: every lease key and the registry are gone.
        await using (var inspector = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Server.Port}"))
        {
            var db = inspector.GetDatabase();
            await db.KeyDeleteAsync($"{prefix}:qmgr:members");
            for (int shard = 0; shard < ShardLeaseReplicas.Shards; shard++) await db.KeyDeleteAsync($"{prefix}:{{q{shard}}}:qmgr-lease");
        }
        await Task.Delay(ShardLeaseReplicas.Heartbeat * 3);
        await Eventually.HoldsAsync(() => replicas.SplitAmong([0, 1], 8, 8), Settle, "8 + 8 again");
        await AssertRedisAgreesAsync(redis.Server.Url, prefix, replicas, 2);
    }
}

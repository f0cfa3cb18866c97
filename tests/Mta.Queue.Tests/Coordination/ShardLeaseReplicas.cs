using Mta.Queue.Coordination;
using Mta.Queue.Redis;

namespace Mta.Queue.Tests.Coordination;

/// <summary>
/// A few queue manager replicas, each with its own store connection (as separate pods have), leasing the
/// 16 shards of one queue with short leases.
/// </summary>
internal sealed class ShardLeaseReplicas : IAsyncDisposable
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(400);
    public const int Shards = 16;

    private readonly string _url;
    private readonly string _prefix;
    private readonly List<(RedisQueueStore Store, RedisShardLeases Leases, string Holder)> _replicas = [];

    public ShardLeaseReplicas(string url, string prefix)
    {
        _url = url;
        _prefix = prefix;
    }

    public IReadOnlyList<RedisShardLeases> Leases => _replicas.Select(r => r.Leases).ToArray();

    public string HolderOf(int replica) => _replicas[replica].Holder;

    public async Task<RedisShardLeases> StartAsync()
    {
        var store = await RedisQueueStore.OpenAsync(new RedisQueueStoreOptions(_url)
        {
            Shards = Shards, KeyPrefix = _prefix, OperationTimeout = TimeSpan.FromSeconds(3),
        });
        string holder = QueueCoordination.NewHolderName();
        var leases = new RedisShardLeases(store, holder, Lease, Heartbeat);
        _replicas.Add((store, leases, holder));
        await leases.StartAsync(default);
        return leases;
    }

    /// <summary>Like a kill -9: the replica's connection goes away mid-lease, nothing is handed back.</summary>
    public async Task KillAsync(int replica) => await _replicas[replica].Store.DisposeAsync();

    /// <summary>The given replicas hold every shard, none twice, each within [min, max] shards.</summary>
    public bool SplitAmong(IEnumerable<int> replicas, int min, int max)
    {
        var owned = replicas.Select(r => _replicas[r].Leases.Owned).ToList();
        var all = owned.SelectMany(o => o).ToList();
        return all.Count == Shards && all.Distinct().Count() == Shards && owned.All(o => o.Count >= min && o.Count <= max);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (store, leases, _) in _replicas)
        {
            await leases.DisposeAsync();
            await store.DisposeAsync();
        }
    }
}

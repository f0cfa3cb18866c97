namespace Mta.Queue.Coordination;

/// <summary>
/// Which queue shards this queue manager may claim from. Replicas lease shards (Redis keys with a TTL, renewed
/// by a heartbeat) and share them out evenly, so qmgr scales out and a dead replica's shards are taken over
/// within one lease period. The file queue has one shard, always owned.
/// </summary>
public interface IShardLeases : IAsyncDisposable
{
    /// <summary>The shards held right now (may change at every heartbeat).</summary>
    IReadOnlyList<int> Owned { get; }

    /// <summary>Starts the heartbeat that takes, renews and rebalances leases.</summary>
    Task StartAsync(CancellationToken cancellationToken);
}

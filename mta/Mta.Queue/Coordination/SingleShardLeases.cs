namespace Mta.Queue.Coordination;

/// <summary>
/// <see cref="IShardLeases"/> for a queue manager that is alone on its queue (the file queue, or one qmgr over
/// Redis): it owns every shard, 0..ShardCount-1 (the file queue has one, shard 0), and there is nothing to renew.
/// </summary>
public sealed class SingleShardLeases(IQueueConsumer queue) : IShardLeases
{
    public IReadOnlyList<int> Owned { get; } = Enumerable.Range(0, queue.ShardCount).ToArray();

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

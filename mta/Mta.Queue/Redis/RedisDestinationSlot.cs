using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>One held concurrency slot of a destination; disposing gives it back (once).</summary>
internal sealed class RedisDestinationSlot(RedisDestinationSlots owner, RedisKey key, string name) : IAsyncDisposable
{
    private int _released;

    public RedisKey Key { get; } = key;

    /// <summary>The slot's member name in the destination's sorted set: holder:counter.</summary>
    public string Name { get; } = name;

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _released, 1) == 0 ? owner.ReleaseAsync(this) : ValueTask.CompletedTask;
}

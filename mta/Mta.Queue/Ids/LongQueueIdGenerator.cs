namespace Mta.Queue.Ids;

/// <summary>
/// Makes long queue IDs unique across processes and pods. Postfix makes the suffix unique with the
/// queue file's inode; a shared store has no inode, so the suffix combines a node number (unique per
/// store instance, handed out by the store: a Redis INCR or a counter file) with a per-instance counter.
/// The time part is informational (arrival time for log readers), never what makes an ID unique.
/// </summary>
public sealed class LongQueueIdGenerator
{
    private const int CounterBits = 32;
    private readonly ulong _nodeBase;
    private readonly TimeProvider _time;
    private long _counter;

    public LongQueueIdGenerator(long nodeNumber, TimeProvider? time = null)
    {
        if (nodeNumber < 0 || nodeNumber >= 1L << 31) throw new ArgumentOutOfRangeException(nameof(nodeNumber));
        _nodeBase = (ulong)nodeNumber << CounterBits;
        _time = time ?? TimeProvider.System;
    }

    public QueueId Next()
    {
        // Wrapping the counter is harmless: a repeat needs 2^32 IDs from one instance with the same time part.
        ulong count = (ulong)Interlocked.Increment(ref _counter) & ((1UL << CounterBits) - 1);
        long micros = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        ulong seconds = SafeAlphabet.LargestWithoutSeparator((ulong)(micros / 1_000_000));
        ulong usec = SafeAlphabet.LargestWithoutSeparator((ulong)(micros % 1_000_000));
        return QueueId.Create((long)seconds, (int)usec, _nodeBase | count);
    }
}

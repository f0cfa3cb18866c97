using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Mta.Queue.Coordination;

/// <summary>
/// <see cref="IDestinationSlots"/> for one process (the file queue: one host, one queue manager). Counters and
/// last-start times live in memory; nothing needs to survive the process, because its deliveries die with it.
/// </summary>
public sealed class InProcessDestinationSlots(TimeProvider? time = null) : IDestinationSlots
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, StrongBox<int>> _inUse = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<long>> _lastStart = new(StringComparer.Ordinal);

    public ValueTask<IAsyncDisposable?> TryAcquireAsync(string destination, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var count = _inUse.GetOrAdd(destination, _ => new StrongBox<int>());
        while (true)
        {
            int seen = Volatile.Read(ref count.Value);
            if (limit > 0 && seen >= limit) return ValueTask.FromResult<IAsyncDisposable?>(null); // 0: no limit, as in Postfix
            if (Interlocked.CompareExchange(ref count.Value, seen + 1, seen) == seen)
                return ValueTask.FromResult<IAsyncDisposable?>(new Slot(count));
        }
    }

    public ValueTask<bool> TryStartRateLimitedAsync(string destination, TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var last = _lastStart.GetOrAdd(destination, _ => new StrongBox<long>(long.MinValue));
        long now = _time.GetUtcNow().UtcTicks;
        while (true)
        {
            long seen = Volatile.Read(ref last.Value);
            if (seen != long.MinValue && now - seen < delay.Ticks) return ValueTask.FromResult(false);
            if (Interlocked.CompareExchange(ref last.Value, now, seen) == seen) return ValueTask.FromResult(true);
        }
    }

    /// <summary>Gives its slot back exactly once, however often it is disposed.</summary>
    private sealed class Slot(StrongBox<int> count) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) Interlocked.Decrement(ref count.Value);
            return ValueTask.CompletedTask;
        }
    }
}

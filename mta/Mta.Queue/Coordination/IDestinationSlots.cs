namespace Mta.Queue.Coordination;

/// <summary>
/// Per-destination concurrency counted across every delivery process sharing the queue (Redis: one counter per
/// destination with leased slots, so a killed process's slots come back by themselves; file queue: in process).
/// </summary>
public interface IDestinationSlots
{
    /// <summary>
    /// Takes one of <paramref name="limit"/> slots for <paramref name="destination"/> ("transport:nexthop"), or
    /// returns null at once when all are taken. Dispose the slot when the delivery ends.
    /// </summary>
    ValueTask<IAsyncDisposable?> TryAcquireAsync(string destination, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// *_destination_rate_delay across processes: true when a delivery to <paramref name="destination"/> may start
    /// now (and marks it started), false when one started less than <paramref name="delay"/> ago.
    /// </summary>
    ValueTask<bool> TryStartRateLimitedAsync(string destination, TimeSpan delay, CancellationToken cancellationToken);
}

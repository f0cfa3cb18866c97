namespace Mta.Queue;

/// <summary>
/// Keeps a lease alive while a delivery runs: renews it every third of its duration. When a renewal finds
/// the lease lost (taken over, held, deleted), <see cref="Lost"/> is cancelled so the delivery stops early;
/// its writes would be refused by the fencing token anyway. Dispose when the delivery ends.
/// </summary>
public sealed class LeaseHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _loop;
    private MessageLease _lease;

    public LeaseHeartbeat(IQueueConsumer queue, MessageLease lease, TimeSpan leaseDuration)
    {
        _lease = lease;
        _loop = RunAsync(queue, leaseDuration);
    }

    /// <summary>The lease as last renewed.</summary>
    public MessageLease Lease => Volatile.Read(ref _lease);

    /// <summary>Cancelled when the lease is known to be lost.</summary>
    public CancellationToken Lost => _lost.Token;

    private async Task RunAsync(IQueueConsumer queue, TimeSpan leaseDuration)
    {
        var period = leaseDuration / 3;
        try
        {
            while (true)
            {
                await Task.Delay(period, _stop.Token).ConfigureAwait(false);
                try
                {
                    Volatile.Write(ref _lease, await queue.RenewAsync(Lease, leaseDuration, _stop.Token).ConfigureAwait(false));
                }
                catch (QueueUnavailableException)
                {
                    // Try again next period; if the store stays away the lease expires and a peer takes over.
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (LeaseLostException)
        {
            await _lost.CancelAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _lost.Dispose();
    }
}

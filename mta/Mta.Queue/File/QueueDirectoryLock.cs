namespace Mta.Queue.File;

/// <summary>
/// Serialises state changes on one queue directory, across processes by flock(2) on queue.lock (.NET maps
/// FileShare.None to LOCK_EX and a read-only open with sharing to LOCK_SH):
/// <list type="bullet">
/// <item>Work on one message (claim, renew, outcome, finish) takes the lock shared plus that message's stripe, so
/// deliveries of different messages write and fsync their state files side by side.</item>
/// <item>Queue-wide changes (postsuper, flush, moves between queues) take it exclusive: no message work runs meanwhile.
/// Inside the process a waiting exclusive request holds new shared requests back, so it is not starved.</item>
/// </list>
/// Enqueue needs no lock: it only creates a new file in incoming/.
/// </summary>
internal sealed class QueueDirectoryLock(string lockFile) : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(5);
    private const int StripeCount = 64;
    private readonly SemaphoreSlim _exclusive = new(1, 1);
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, StripeCount).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private int _exclusiveWaiting;

    /// <summary>The whole queue directory, exclusively.</summary>
    public async ValueTask<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _exclusiveWaiting);
        try
        {
            await _exclusive.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _exclusiveWaiting);
            throw;
        }
        try
        {
            var handle = await OpenAsync(FileAccess.ReadWrite, FileShare.None, waitForExclusive: false, cancellationToken).ConfigureAwait(false);
            return new Held(handle, () => { _exclusive.Release(); Interlocked.Decrement(ref _exclusiveWaiting); });
        }
        catch
        {
            _exclusive.Release();
            Interlocked.Decrement(ref _exclusiveWaiting);
            throw;
        }
    }

    /// <summary>One message (by queue ID), shared with work on other messages.</summary>
    public async ValueTask<IDisposable> AcquireMessageAsync(QueueId id, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(id.Value) % StripeCount];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var handle = await OpenAsync(FileAccess.Read, FileShare.ReadWrite, waitForExclusive: true, cancellationToken).ConfigureAwait(false);
            return new Held(handle, () => stripe.Release());
        }
        catch
        {
            stripe.Release();
            throw;
        }
    }

    private async ValueTask<FileStream> OpenAsync(FileAccess access, FileShare share, bool waitForExclusive, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!waitForExclusive || Volatile.Read(ref _exclusiveWaiting) == 0)
            {
                try
                {
                    return new FileStream(lockFile, FileMode.OpenOrCreate, access, share);
                }
                catch (IOException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Held the other way by this or another process.
                }
            }
            await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _exclusive.Dispose();
        foreach (var stripe in _stripes) stripe.Dispose();
    }

    private sealed class Held(FileStream handle, Action release) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            handle.Dispose();
            release();
        }
    }
}

namespace Mta.Queue.File;

/// <summary>
/// Serialises state changes (claims, outcomes, postsuper) on one queue directory: a semaphore inside the
/// process and an exclusive lock on queue.lock across processes (.NET maps FileShare.None to flock(2)).
/// Enqueue needs no lock: it only renames a new file into incoming/.
/// </summary>
internal sealed class QueueDirectoryLock(string lockFile) : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(5);
    private readonly SemaphoreSlim _inProcess = new(1, 1);

    public async ValueTask<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _inProcess.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                try
                {
                    var handle = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    return new Held(this, handle);
                }
                catch (IOException) when (!cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            _inProcess.Release();
            throw;
        }
    }

    public void Dispose() => _inProcess.Dispose();

    private sealed class Held(QueueDirectoryLock owner, FileStream handle) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            handle.Dispose();
            owner._inProcess.Release();
        }
    }
}

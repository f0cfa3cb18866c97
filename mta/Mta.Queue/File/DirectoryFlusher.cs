namespace Mta.Queue.File;

/// <summary>
/// Group commit for one directory's fsync: concurrent commits that each need the directory durable share
/// one fsync instead of queueing one each. A request is satisfied only by an fsync that starts after it,
/// so every entry created before the request is covered.
/// </summary>
internal sealed class DirectoryFlusher(string directory)
{
    private readonly object _gate = new();
    private TaskCompletionSource? _next;
    private bool _running;

    public string Directory => directory;

    public Task FlushAsync()
    {
        lock (_gate)
        {
            _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var waiter = _next.Task;
            if (!_running)
            {
                _running = true;
                _ = Task.Run(RunAsync);
            }
            return waiter;
        }
    }

    private void RunAsync()
    {
        while (true)
        {
            TaskCompletionSource batch;
            lock (_gate)
            {
                if (_next is null)
                {
                    _running = false;
                    return;
                }
                batch = _next;
                _next = null;
            }
            try
            {
                DirectorySync.Flush(directory);
                batch.SetResult();
            }
            catch (Exception e)
            {
                batch.SetException(e);
            }
        }
    }
}

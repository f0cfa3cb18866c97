namespace Mta.Operator.Controller;

/// <summary>
/// A keyed work queue with client-go's semantics: a key waits at most once (adds while queued collapse), is never
/// handed to two workers at once (an add while processing re-queues it after <see cref="Done"/>), and can be
/// re-added after a delay or after its per-key exponential backoff.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly Lock gate = new();
    private readonly Queue<string> queue = new();
    private readonly HashSet<string> dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> scheduled = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim available = new(0);
    private readonly CancellationTokenSource shutdown = new();
    private readonly ExponentialBackoff backoff;
    private readonly TimeProvider time;
    private readonly OperatorMetrics? metrics;

    public WorkQueue(string name, ExponentialBackoff backoff, TimeProvider? time = null, OperatorMetrics? metrics = null)
    {
        Name = name;
        this.backoff = backoff;
        this.time = time ?? TimeProvider.System;
        this.metrics = metrics;
    }

    public string Name { get; }

    public int Depth { get { lock (gate) return queue.Count; } }

    public bool IsShuttingDown => shutdown.IsCancellationRequested;

    public void Add(string key)
    {
        lock (gate)
        {
            if (shutdown.IsCancellationRequested || !dirty.Add(key)) return;
            metrics?.WorkQueueAdds.WithLabels(Name).Inc();
            if (processing.Contains(key)) return; // Done() puts it back
            queue.Enqueue(key);
            metrics?.WorkQueueDepth.WithLabels(Name).Set(queue.Count);
        }
        available.Release();
    }

    /// <summary>Adds the key once the delay has passed (requeue-after).</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero) { Add(key); return; }
        var due = time.GetUtcNow() + delay;
        lock (gate)
        {
            // One timer per key is enough: a requeue already due earlier covers this one.
            if (scheduled.TryGetValue(key, out var pending) && pending <= due) return;
            scheduled[key] = due;
        }
        _ = Task.Delay(delay, time, shutdown.Token).ContinueWith(t =>
        {
            lock (gate)
            {
                if (scheduled.TryGetValue(key, out var pending) && pending == due) scheduled.Remove(key);
            }
            if (!t.IsCanceled) Add(key);
        }, TaskScheduler.Default);
    }

    /// <summary>Adds the key after its next backoff step: for retries after an error.</summary>
    public void AddRateLimited(string key)
    {
        metrics?.WorkQueueRetries.WithLabels(Name).Inc();
        AddAfter(key, backoff.Next(key));
    }

    /// <summary>Resets the key's backoff after a success.</summary>
    public void Forget(string key) => backoff.Forget(key);

    public int Failures(string key) => backoff.Failures(key);

    /// <summary>Waits for a key; null once the queue is shut down. The caller must call <see cref="Done"/>.</summary>
    public async Task<string?> TakeAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, shutdown.Token);
                await available.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested) { return null; }
            lock (gate)
            {
                if (!queue.TryDequeue(out var key)) continue;
                processing.Add(key);
                dirty.Remove(key);
                metrics?.WorkQueueDepth.WithLabels(Name).Set(queue.Count);
                return key;
            }
        }
    }

    public void Done(string key)
    {
        bool requeue;
        lock (gate)
        {
            processing.Remove(key);
            requeue = dirty.Contains(key) && !shutdown.IsCancellationRequested;
            if (requeue) queue.Enqueue(key);
        }
        if (requeue) available.Release();
    }

    /// <summary>Stops handing out keys; pending delayed adds are dropped.</summary>
    public void ShutDown() => shutdown.Cancel();

    public void Dispose()
    {
        shutdown.Cancel();
        shutdown.Dispose();
        available.Dispose();
    }
}

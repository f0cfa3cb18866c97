using Mta.Queue;

namespace Mta.Delivery.Qmgr;

/// <summary>
/// One destination's concurrency window in this queue manager (Postfix's qmgr_queue), with its waiters and
/// whether it is suspended ("dead"). Guarded by its own lock; created and dropped by <see cref="DestinationScheduler"/>.
/// </summary>
/// <remarks>
/// Postfix's slow start, simplified to its default feedback settings: the window starts at the initial
/// concurrency; every delivery that reached the destination adds 1 (positive_feedback = 1), up to the limit;
/// every connection or handshake failure takes 1 away (negative_feedback = 1, never below 1) and adds 1/window to
/// the failed cohorts. Once a whole cohort has failed (failed_cohort_limit = 1) the destination is declared dead:
/// further jobs are deferred without an attempt until minimal_backoff_time has passed, when it restarts at the
/// initial concurrency. A success clears the failed cohorts.
/// </remarks>
internal sealed class DestinationState(string key, int initial, int limit)
{
    private readonly int _initial = initial;
    private readonly Lock _gate = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private int _window = initial;
    private int _inFlight;
    private double _failedCohorts;

    public string Key { get; } = key;

    /// <summary>Users (waiting or delivering); the scheduler drops an unused, live state.</summary>
    public int References { get; set; }

    public DateTimeOffset SuspendedUntil { get; private set; }

    /// <summary>Why it is suspended (the failure that killed it).</summary>
    public RecipientOutcome? SuspendReason { get; private set; }

    public int Window { get { lock (_gate) return _window; } }

    public bool IsSuspended(DateTimeOffset now, out RecipientOutcome reason)
    {
        lock (_gate)
        {
            reason = SuspendReason!;
            return SuspendReason is not null && now < SuspendedUntil;
        }
    }

    /// <summary>Waits until a delivery fits in the window, then counts it in flight.</summary>
    public async Task EnterAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            // Waiters that gave up stay queued until someone passes them; drop them here.
            while (_waiters.TryPeek(out var first) && first.Task.IsCompleted) _waiters.Dequeue();
            if (_inFlight < _window && _waiters.Count == 0)
            {
                _inFlight++;
                return;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }
        // A cancelled waiter is marked so that Leave passes it by instead of handing it a place.
        await using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)).ConfigureAwait(false))
            await waiter.Task.ConfigureAwait(false);
    }

    /// <summary>Ends a delivery with its feedback and lets waiters in as the window allows.</summary>
    public void Leave(DeliveryFeedback feedback, RecipientOutcome? failure, DateTimeOffset now, TimeSpan suspendFor)
    {
        lock (_gate)
        {
            _inFlight--;
            switch (feedback)
            {
                case DeliveryFeedback.Reached:
                    _failedCohorts = 0;
                    if (_window < limit) _window++;
                    break;
                case DeliveryFeedback.Unreachable:
                    _failedCohorts += 1.0 / _window;
                    if (_failedCohorts >= 1)
                    {
                        SuspendedUntil = now + suspendFor;
                        SuspendReason = failure;
                        _failedCohorts = 0;
                        _window = _initial;
                    }
                    else if (_window > 1)
                    {
                        _window--;
                    }
                    break;
            }
            while (_inFlight < _window && _waiters.TryDequeue(out var next))
                if (next.TrySetResult()) _inFlight++;
        }
    }

    /// <summary>postqueue -f forgets dead destinations (trigger F).</summary>
    public void Revive()
    {
        lock (_gate) SuspendReason = null;
    }
}

/// <summary>What one delivery says about its destination.</summary>
internal enum DeliveryFeedback
{
    /// <summary>No delivery happened (cancelled, or the qmgr deferred it itself).</summary>
    None,
    /// <summary>The destination answered (whatever it said about each recipient).</summary>
    Reached,
    /// <summary>Connection or handshake failure: nothing answered (every recipient deferred with relay=none).</summary>
    Unreachable,
}

using System.Collections.Concurrent;
using Mta.Delivery.Notices;
using Mta.Delivery.Routing;
using Mta.Queue;
using Mta.Queue.Coordination;
using Mta.Smtp;

namespace Mta.Delivery.Qmgr;

/// <summary>
/// qmgr(8): claims ready messages from the shards this replica owns (under a lease kept alive by a heartbeat),
/// up to <see cref="QueueManagerSettings.MessagesInFlight"/> at a time, and delivers each through <see cref="MessageAttempt"/>. Polls fast
/// when idle (100 ms, backing off to 1 s) so new mail and postqueue -f are seen at once. Owns the shard leases
/// it is given (disposes them).
/// </summary>
public sealed class QueueManager : IAsyncDisposable
{
    private static readonly TimeSpan UnavailableFirstWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan UnavailableLastWait = TimeSpan.FromSeconds(30);

    private readonly QmgrServices _services;
    private readonly IShardLeases _shards;
    private readonly string _holder;
    private readonly CancellationTokenSource _disposing = new();
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private readonly SemaphoreSlim _activeLimit;
    private long _nextWork;

    public QueueManager(
        IMailQueue queue,
        QueueManagerSettings settings,
        IReadOnlyDictionary<string, Transport> transports,
        IRecipientRouter router,
        INotifier notifier,
        IDestinationSlots slots,
        IShardLeases shards,
        IMailLog log,
        string holder,
        TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        _services = new QmgrServices(queue, settings, transports, router, notifier,
            new DestinationScheduler(slots, time, settings.MinimalBackoffTime), log, time);
        _shards = shards;
        _holder = holder;
        _activeLimit = new SemaphoreSlim(settings.MessagesInFlight);
    }

    /// <summary>Messages being delivered right now.</summary>
    public int ActiveMessages => _inFlight.Count;

    /// <summary>postqueue -f's "forget dead destinations" (trigger F): suspended destinations are tried again.</summary>
    public void ForgetDeadDestinations() => _services.Scheduler.ReviveAll();

    /// <summary>Runs until cancelled (or disposed); then waits for the messages in hand to stop.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var token = stopping.Token;
        var settings = _services.Settings;
        var idleMaximum = settings.QueueRunDelay < settings.IdlePollMaximum ? settings.QueueRunDelay : settings.IdlePollMaximum;
        var idle = settings.IdlePollMinimum;
        var unavailable = UnavailableFirstWait;
        try
        {
            await _shards.StartAsync(token).ConfigureAwait(false);
            while (true)
            {
                await _activeLimit.WaitAsync(token).ConfigureAwait(false);
                MessageLease? lease;
                try
                {
                    lease = await _services.Queue.ClaimNextAsync(_holder, settings.LeaseDuration, _shards.Owned, token).ConfigureAwait(false);
                    unavailable = UnavailableFirstWait;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Store down (QueueUnavailableException) or a transient I/O error: the queue manager must outlive both.
                    _activeLimit.Release();
                    string what = e is QueueUnavailableException ? "queue unavailable" : $"cannot claim mail: {e.GetType().Name}";
                    _services.Log.Write(settings.ProgramName, $"warning: {what}: {e.Message}; trying again in {unavailable.TotalSeconds:0}s");
                    await Task.Delay(unavailable, _services.Time, token).ConfigureAwait(false);
                    unavailable = unavailable * 2 < UnavailableLastWait ? unavailable * 2 : UnavailableLastWait;
                    continue;
                }
                if (lease is null)
                {
                    _activeLimit.Release();
                    await Task.Delay(idle, _services.Time, token).ConfigureAwait(false);
                    idle = idle * 2 < idleMaximum ? idle * 2 : idleMaximum;
                    continue;
                }
                idle = settings.IdlePollMinimum;
                Start(lease, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(_inFlight.Values).ConfigureAwait(false);
        }
    }

    private void Start(MessageLease lease, CancellationToken token)
    {
        long work = Interlocked.Increment(ref _nextWork);
        var claimed = _services.Now;
        var task = Task.Run(async () =>
        {
            try
            {
                await DeliverAsync(lease, claimed, token).ConfigureAwait(false);
            }
            finally
            {
                _inFlight.TryRemove(work, out _);
                _activeLimit.Release();
            }
        }, CancellationToken.None);
        _inFlight.TryAdd(work, task);
    }

    /// <summary>One message under its lease. Never throws: whatever goes wrong leaves the message to a later claim.</summary>
    private async Task DeliverAsync(MessageLease lease, DateTimeOffset claimed, CancellationToken stopping)
    {
        var program = _services.Settings.ProgramName;
        await using var heartbeat = new LeaseHeartbeat(_services.Queue, lease, _services.Settings.LeaseDuration);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(stopping, heartbeat.Lost);
        try
        {
            await new MessageAttempt(_services, heartbeat, claimed).RunAsync(work.Token).ConfigureAwait(false);
        }
        catch (LeaseLostException e)
        {
            _services.Log.Write(program, $"warning: {e.Message}: lease lost, stopped delivering it");
        }
        catch (OperationCanceledException) when (heartbeat.Lost.IsCancellationRequested)
        {
            _services.Log.Write(program, $"warning: {lease.Id}: lease lost, stopped delivering it");
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and the message is claimed again (Postfix: active mail is re-queued at start).
        }
        catch (QueueUnavailableException e)
        {
            _services.Log.Write(program, $"warning: {lease.Id}: queue unavailable: {e.Message}; it will be tried again");
        }
        catch (Exception e)
        {
            _services.Log.Write(program, $"warning: {lease.Id}: {e.GetType().Name}: {e.Message}; it will be tried again");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_inFlight.Values).ConfigureAwait(false);
        await _shards.DisposeAsync().ConfigureAwait(false);
        _disposing.Dispose();
        _activeLimit.Dispose();
    }
}

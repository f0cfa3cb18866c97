using System.Collections.Concurrent;
using Mta.Queue;
using Mta.Queue.Coordination;

namespace Mta.Delivery.Qmgr;

/// <summary>
/// Decides when a delivery job may start: the destination's window in this process (<see cref="DestinationState"/>),
/// the transport's process limit, the destination's slots across every process (<see cref="IDestinationSlots"/>),
/// and its rate delay. Also remembers dead destinations.
/// </summary>
internal sealed class DestinationScheduler(IDestinationSlots slots, TimeProvider time, TimeSpan suspendFor)
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LastPoll = TimeSpan.FromMilliseconds(200);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DestinationState> _states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _processes = new(StringComparer.Ordinal);

    /// <summary>
    /// Postfix's destination: the next hop, or the recipient itself when the transport delivers one recipient at
    /// a time (local: concurrency is then per mailbox).
    /// </summary>
    public static string DestinationKey(string transport, string nexthop, string recipient, TransportSettings settings) =>
        settings.RecipientLimit == 1 ? $"{transport}:{recipient}" : $"{transport}:{nexthop}";

    public DestinationState Attach(string key, TransportSettings settings)
    {
        lock (_gate)
        {
            if (!_states.TryGetValue(key, out var state))
                _states[key] = state = new DestinationState(key, settings.InitialConcurrency, settings.ConcurrencyLimit);
            state.References++;
            return state;
        }
    }

    /// <summary>An unused destination is forgotten unless it is suspended (as Postfix drops idle queues).</summary>
    public void Detach(DestinationState state)
    {
        lock (_gate)
        {
            if (--state.References == 0 && !state.IsSuspended(time.GetUtcNow(), out _)) _states.Remove(state.Key);
        }
    }

    /// <summary>Forgets every dead destination (postqueue -f).</summary>
    public void ReviveAll()
    {
        lock (_gate)
            foreach (var state in _states.Values) state.Revive();
    }

    /// <summary>Waits until a job for <paramref name="state"/> may start and returns what it holds while it runs.</summary>
    public async Task<DeliverySlot> AcquireAsync(DestinationState state, Transport transport, CancellationToken cancellationToken)
    {
        await state.EnterAsync(cancellationToken).ConfigureAwait(false);
        // master.cf maxproc 0 means no limit.
        var processes = _processes.GetOrAdd(transport.Name, _ =>
            new SemaphoreSlim(transport.Settings.ProcessLimit > 0 ? transport.Settings.ProcessLimit : int.MaxValue));
        bool processTaken = false;
        IAsyncDisposable? shared = null;
        try
        {
            await processes.WaitAsync(cancellationToken).ConfigureAwait(false);
            processTaken = true;
            var poll = FirstPoll;
            while ((shared = await slots.TryAcquireAsync(state.Key, state.Window, cancellationToken).ConfigureAwait(false)) is null)
                poll = await PauseAsync(poll, cancellationToken).ConfigureAwait(false);
            var delay = transport.Settings.RateDelay;
            if (delay > TimeSpan.Zero)
            {
                poll = FirstPoll;
                while (!await slots.TryStartRateLimitedAsync(state.Key, delay, cancellationToken).ConfigureAwait(false))
                    poll = await PauseAsync(poll, cancellationToken).ConfigureAwait(false);
            }
            return new DeliverySlot(this, state, processes, shared);
        }
        catch
        {
            if (shared is not null) await shared.DisposeAsync().ConfigureAwait(false);
            if (processTaken) processes.Release();
            state.Leave(DeliveryFeedback.None, null, time.GetUtcNow(), suspendFor);
            throw;
        }
    }

    private async Task<TimeSpan> PauseAsync(TimeSpan poll, CancellationToken cancellationToken)
    {
        await Task.Delay(poll, time, cancellationToken).ConfigureAwait(false);
        return poll * 2 < LastPoll ? poll * 2 : LastPoll;
    }

    /// <summary>A started job's hold on its destination; <see cref="ReleaseAsync"/> once with the job's feedback.</summary>
    internal sealed class DeliverySlot(DestinationScheduler owner, DestinationState state, SemaphoreSlim processes, IAsyncDisposable shared)
    {
        public async ValueTask ReleaseAsync(DeliveryFeedback feedback, RecipientOutcome? failure)
        {
            await shared.DisposeAsync().ConfigureAwait(false);
            processes.Release();
            state.Leave(feedback, failure, owner.Now, owner.SuspendFor);
        }
    }

    private DateTimeOffset Now => time.GetUtcNow();

    private TimeSpan SuspendFor => suspendFor;
}

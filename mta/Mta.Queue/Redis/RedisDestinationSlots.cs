using Mta.Queue.Coordination;
using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>
/// Per-destination concurrency counted across every delivery process sharing a <see cref="RedisQueueStore"/>.
/// A destination's slots are a sorted set <c>P:{d:DESTINATION}:slots</c> of slot names scored by expiry (Redis
/// time): taking one drops expired slots and adds ours only under the limit, in one script. Held slots are
/// renewed every third of the lease by one shared heartbeat (running only while slots are held) and removed on
/// dispose, so a killed process's slots free themselves within a lease period. The rate delay is a key
/// <c>P:{d:DESTINATION}:rate</c> set with SET NX PX. One hash tag per destination: Cluster-safe.
/// Redis unreachable: <see cref="QueueUnavailableException"/> (the caller defers the delivery).
/// </summary>
public sealed class RedisDestinationSlots : IDestinationSlots
{
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(15);

    private readonly IDatabase _database;
    private readonly string _keyPrefix;
    private readonly string _holder;
    private readonly TimeSpan _leaseDuration;
    private readonly Lock _gate = new();
    private readonly HashSet<RedisDestinationSlot> _held = [];
    private Task? _heartbeat;
    private long _slotCounter;

    /// <param name="store">The shared queue (its connection and key prefix are used).</param>
    /// <param name="holder">This process's name, unique across the fleet (e.g. <see cref="QueueCoordination.NewHolderName"/>).</param>
    /// <param name="leaseDuration">How long a slot outlives its holder's last heartbeat.</param>
    public RedisDestinationSlots(RedisQueueStore store, string holder, TimeSpan? leaseDuration = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        _leaseDuration = leaseDuration ?? DefaultLeaseDuration;
        if (_leaseDuration < TimeSpan.FromMilliseconds(300)) throw new ArgumentOutOfRangeException(nameof(leaseDuration), "lease must be at least 300 ms");
        _database = store.Database;
        _keyPrefix = store.KeyPrefix;
        _holder = holder;
    }

    /// <summary>Slots this process holds and renews right now.</summary>
    public int HeldCount
    {
        get { lock (_gate) return _held.Count; }
    }

    /// <summary>A limit of 0 or less means no limit (Postfix's *_destination_concurrency_limit = 0): the slot is not counted.</summary>
    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(string destination, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        if (limit <= 0) return Unlimited.Instance;
        cancellationToken.ThrowIfCancellationRequested();
        var slot = new RedisDestinationSlot(this, SlotsKey(destination), $"{_holder}:{Interlocked.Increment(ref _slotCounter)}");
        var acquired = await RedisCalls.RunAsync(
            () => _database.ScriptEvaluateAsync(RedisCoordinationScripts.AcquireSlot, [slot.Key], [slot.Name, limit, LeaseMilliseconds]),
            // Not cancelled half-way: a slot taken in Redis after we stopped waiting would sit there unused for a lease.
            "destination slot", CancellationToken.None).ConfigureAwait(false);
        if ((long)acquired != 1) return null;
        lock (_gate)
        {
            _held.Add(slot);
            if (_heartbeat is null || _heartbeat.IsCompleted) _heartbeat = HeartbeatAsync();
        }
        return slot;
    }

    public async ValueTask<bool> TryStartRateLimitedAsync(string destination, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        if (delay <= TimeSpan.Zero) return true;
        RedisKey key = DestinationPrefix(destination) + "rate";
        return await RedisCalls.RunAsync(
            () => _database.StringSetAsync(key, _holder, delay, When.NotExists),
            "destination rate delay", cancellationToken).ConfigureAwait(false);
    }

    private long LeaseMilliseconds => (long)_leaseDuration.TotalMilliseconds;

    private string DestinationPrefix(string destination) => $"{_keyPrefix}:{{d:{destination}}}:";

    private RedisKey SlotsKey(string destination) => DestinationPrefix(destination) + "slots";

    /// <summary>Renews every held slot each third of the lease; ends when none is held (restarted by the next acquire).</summary>
    private async Task HeartbeatAsync()
    {
        while (true)
        {
            await Task.Delay(_leaseDuration / 3).ConfigureAwait(false);
            RedisDestinationSlot[] slots;
            lock (_gate)
            {
                if (_held.Count == 0)
                {
                    _heartbeat = null;
                    return;
                }
                slots = [.. _held];
            }
            try
            {
                var renewed = await Task.WhenAll(slots.Select(s => RedisCalls.RunAsync(
                    () => _database.ScriptEvaluateAsync(RedisCoordinationScripts.RenewSlot, [s.Key], [s.Name, LeaseMilliseconds]),
                    "destination slot renewal", CancellationToken.None))).ConfigureAwait(false);
                // A slot that lapsed (Redis was away longer than a lease) is not taken back over the limit: its
                // delivery finishes uncounted, as a peer may have been given the slot meanwhile.
                lock (_gate)
                {
                    for (int i = 0; i < slots.Length; i++)
                        if ((long)renewed[i] == 0) _held.Remove(slots[i]);
                }
            }
            catch (QueueUnavailableException)
            {
                // Redis is away: try again next period; slots lapse only after a whole lease without renewal.
            }
        }
    }

    internal async ValueTask ReleaseAsync(RedisDestinationSlot slot)
    {
        lock (_gate) _held.Remove(slot);
        try
        {
            await RedisCalls.RunAsync(() => _database.SortedSetRemoveAsync(slot.Key, slot.Name), "destination slot release", CancellationToken.None).ConfigureAwait(false);
        }
        catch (QueueUnavailableException)
        {
            // The slot runs out by itself within a lease period.
        }
    }

    /// <summary>The slot for an unlimited destination: nothing to count or give back.</summary>
    private sealed class Unlimited : IAsyncDisposable
    {
        public static readonly Unlimited Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

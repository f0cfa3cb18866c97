using Mta.Queue.Coordination;
using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>
/// Shares a <see cref="RedisQueueStore"/>'s shards among queue manager replicas. Each replica heartbeats into a
/// registry (<c>P:qmgr:members</c>, a sorted set scored by the last heartbeat, Redis time) and holds each of its
/// shards under a lease key <c>P:{qN}:qmgr-lease</c> (value: the holder; taken with SET NX PX, extended only while
/// it is still ours). At every heartbeat a replica renews what it holds, releases shards beyond its fair share
/// ceil(shards / live replicas) and takes free ones up to it. Since fair shares add up to at least the shard
/// count, a free shard always finds a taker. A dead replica's leases run out after one lease period and are taken
/// at the next heartbeat after that: a take-over within lease + heartbeat (defaults 15 s + 5 s).
/// Shard leases only divide the work: a message is still claimed under its own lease and fencing token, so two
/// replicas briefly sharing a shard (clock hiccups, partitions) cost a wasted claim, never a double delivery.
/// </summary>
public sealed class RedisShardLeases : IShardLeases
{
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(5);

    private readonly IDatabase _database;
    private readonly string _holder;
    private readonly RedisKey _members;
    private readonly RedisKey[] _leaseKeys;
    private readonly int[] _preference;
    private readonly TimeSpan _leaseDuration;
    private readonly TimeSpan _heartbeat;
    private readonly CancellationTokenSource _stop = new();
    private int[] _held = [];
    private long _validUntil; // Environment.TickCount64 after which _held may already belong to others
    private Task? _loop;
    private int _disposed;

    /// <param name="store">The queue whose shards are shared (its connection and key prefix are used).</param>
    /// <param name="holder">This replica's name, unique across the fleet (e.g. <see cref="QueueCoordination.NewHolderName"/>).</param>
    /// <param name="leaseDuration">How long a shard lease lives without renewal; a dead replica's shards wait this long.</param>
    /// <param name="heartbeat">How often leases are renewed and rebalanced; well under <paramref name="leaseDuration"/>.</param>
    public RedisShardLeases(RedisQueueStore store, string holder, TimeSpan? leaseDuration = null, TimeSpan? heartbeat = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        _leaseDuration = leaseDuration ?? DefaultLeaseDuration;
        _heartbeat = heartbeat ?? DefaultHeartbeat;
        if (_leaseDuration < TimeSpan.FromMilliseconds(100)) throw new ArgumentOutOfRangeException(nameof(leaseDuration), "lease must be at least 100 ms");
        if (_heartbeat <= TimeSpan.Zero || _heartbeat * 2 > _leaseDuration)
            throw new ArgumentOutOfRangeException(nameof(heartbeat), "heartbeat must be positive and at most half the lease");
        _database = store.Database;
        _holder = holder;
        _members = $"{store.KeyPrefix}:qmgr:members";
        _leaseKeys = Enumerable.Range(0, store.ShardCount).Select(s => (RedisKey)$"{store.KeyPrefix}:{{q{s}}}:qmgr-lease").ToArray();
        _preference = PreferenceOrder(holder, store.ShardCount);
    }

    public IReadOnlyList<int> Owned =>
        Environment.TickCount64 < Volatile.Read(ref _validUntil) ? Volatile.Read(ref _held) : [];

    /// <summary>Registers, takes a first share of shards (unless Redis is away: the heartbeat keeps trying) and starts the heartbeat.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is not null) throw new InvalidOperationException("shard leases already started");
        await TryTickAsync(cancellationToken).ConfigureAwait(false);
        _loop = HeartbeatAsync(_stop.Token);
    }

    private async Task HeartbeatAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_heartbeat, stop).ConfigureAwait(false);
                await TryTickAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task TryTickAsync(CancellationToken cancellationToken)
    {
        try
        {
            await TickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (QueueUnavailableException)
        {
            // Keep what we hold until its lease would have run out (Owned then reads empty); retry next heartbeat.
        }
    }

    /// <summary>One heartbeat: register, renew, give back extras, take free shards up to the fair share.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        // Measured before any renewal, so our idea of the leases' end is never later than Redis's.
        long validUntil = Environment.TickCount64 + (long)_leaseDuration.TotalMilliseconds;
        long leaseMs = (long)_leaseDuration.TotalMilliseconds;
        var live = (long)await RedisCalls.RunAsync(
            () => _database.ScriptEvaluateAsync(RedisCoordinationScripts.MemberHeartbeat, [_members], [_holder, leaseMs]),
            "qmgr heartbeat", cancellationToken).ConfigureAwait(false);
        int fair = (int)Math.Ceiling(_leaseKeys.Length / (double)Math.Max(1, live));

        var previous = Volatile.Read(ref _held);
        var renewed = await Task.WhenAll(previous.Select(s => TakeOrRenewAsync(s, cancellationToken))).ConfigureAwait(false);
        // Kept in our preference order, so extras are given back from the end and our first shards stay put.
        var held = _preference.Where(s => Array.IndexOf(previous, s) >= 0 && renewed[Array.IndexOf(previous, s)]).ToList();

        while (held.Count > fair)
        {
            int extra = held[^1];
            held.RemoveAt(held.Count - 1);
            await ReleaseAsync(extra, cancellationToken).ConfigureAwait(false);
        }
        foreach (int shard in _preference)
        {
            if (held.Count >= fair) break;
            if (!held.Contains(shard) && await TakeOrRenewAsync(shard, cancellationToken).ConfigureAwait(false)) held.Add(shard);
        }

        held.Sort();
        Publish([.. held], validUntil);
    }

    private void Publish(int[] held, long validUntil)
    {
        Volatile.Write(ref _held, held);
        Volatile.Write(ref _validUntil, validUntil);
    }

    private async Task<bool> TakeOrRenewAsync(int shard, CancellationToken cancellationToken)
    {
        var result = await RedisCalls.RunAsync(
            () => _database.ScriptEvaluateAsync(RedisCoordinationScripts.TakeOrRenewLease, [_leaseKeys[shard]], [_holder, (long)_leaseDuration.TotalMilliseconds]),
            "qmgr shard lease", cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    private Task<RedisResult> ReleaseAsync(int shard, CancellationToken cancellationToken) =>
        RedisCalls.RunAsync(
            () => _database.ScriptEvaluateAsync(RedisCoordinationScripts.ReleaseLease, [_leaseKeys[shard]], [_holder]),
            "qmgr shard release", cancellationToken);

    /// <summary>
    /// Each replica walks the shards from its own starting point (a hash of its name), so replicas starting
    /// together mostly reach for different shards instead of racing for shard 0.
    /// </summary>
    private static int[] PreferenceOrder(string holder, int shards)
    {
        uint hash = 2166136261;
        foreach (char c in holder) hash = (hash ^ c) * 16777619;
        int start = (int)(hash % (uint)shards);
        return Enumerable.Range(0, shards).Select(i => (start + i) % shards).ToArray();
    }

    /// <summary>Stops the heartbeat and hands every shard back at once, so peers need not wait for the leases to run out.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        var held = Volatile.Read(ref _held);
        Publish([], 0);
        try
        {
            await Task.WhenAll(held.Select(s => ReleaseAsync(s, CancellationToken.None))).ConfigureAwait(false);
            await RedisCalls.RunAsync(() => _database.SortedSetRemoveAsync(_members, _holder), "qmgr leave", CancellationToken.None).ConfigureAwait(false);
        }
        catch (QueueUnavailableException)
        {
            // Redis is away: the leases and our registry entry run out by themselves.
        }
        _stop.Dispose();
    }
}

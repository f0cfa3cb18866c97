namespace Mta.Queue.Redis;

/// <summary>
/// Lua scripts of the fleet coordination (shard leases, destination slots). Each touches one key, so it runs
/// on Redis Cluster too. Times come from the Redis server's clock (TIME; Redis 7 replicates scripts by effects),
/// so pods with skewed clocks still agree on who is alive and which slot has expired.
/// </summary>
internal static class RedisCoordinationScripts
{
    private const string Now = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        """;

    /// <summary>
    /// KEYS[1] = the replica registry (zset: member -> last heartbeat, ms). ARGV: member, lease ms.
    /// Records our heartbeat, forgets members silent for a lease period, returns how many are alive.
    /// </summary>
    public const string MemberHeartbeat = Now + """

        redis.call('ZADD', KEYS[1], now, ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return redis.call('ZCARD', KEYS[1])
        """;

    /// <summary>
    /// KEYS[1] = a shard's lease. ARGV: holder, lease ms. Extends the lease when it is ours, takes it when it is
    /// free (SET NX PX), leaves it alone when another replica holds it. 1 = ours now, 0 = someone else's.
    /// </summary>
    public const string TakeOrRenewLease = """
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] then
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1
        end
        if holder then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """;

    /// <summary>KEYS[1] = a lease. ARGV: holder. Deletes it only while it is still ours.</summary>
    public const string ReleaseLease = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    /// <summary>
    /// KEYS[1] = a destination's slots (zset: slot -> expiry, ms; the key itself lives as long as its last slot). ARGV: slot, limit, lease ms. Drops expired
    /// slots (their holders died), then adds ours when fewer than the limit are taken. 1 = acquired, 0 = full.
    /// </summary>
    public const string AcquireSlot = Now + """

        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
        return 1
        """;

    /// <summary>
    /// KEYS[1] = a destination's slots. ARGV: slot, lease ms. Pushes the slot's expiry out while it is still there
    /// (and only then): a renewal racing with the slot's release must not bring it back. 1 = renewed, 0 = gone (it
    /// lapsed while Redis was away, or was released).
    /// </summary>
    public const string RenewSlot = Now + """

        if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
        redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 1
        """;
}

namespace Mta.Queue.Redis;

/// <summary>
/// The Lua scripts that change queue state. Each runs atomically on one shard's slot (see <see cref="RedisKeys"/>),
/// so no reader ever sees half a change and every write under a lease checks its fencing token in the same step.
/// Scripts taking a message use KEYS = m, b, the five queue indexes, the five age indexes (QueueNames.All order).
/// Recipient state r:I is "status TAB dsn TAB unix-ms TAB reason"; delivered and bounced are final.
/// </summary>
internal static class RedisScripts
{
    private const string Prelude = """
        local Q = {incoming = 0, active = 1, deferred = 2, hold = 3, corrupt = 4}
        local function final(v)
          return v and (string.sub(v, 1, 10) == 'delivered\t' or string.sub(v, 1, 8) == 'bounced\t')
        end
        local function fenced(m, token)
          return redis.call('HGET', m, 'queue') == 'active' and redis.call('HGET', m, 'fence') == token
        end

        """;

    /// <summary>
    /// ARGV: id, env, size, arrival-ms, now-ms, has-body (1/0), body, queue ("incoming", or "hold" for smtpd's HOLD).
    /// Creates state, body and index entries in one step.
    /// </summary>
    public const string Enqueue = Prelude + """
        if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('MTA duplicate queue id ' .. ARGV[1]) end
        local q = ARGV[8]
        if q ~= 'incoming' and q ~= 'hold' then return redis.error_reply('MTA bad enqueue queue ' .. q) end
        if ARGV[6] == '1' then redis.call('SET', KEYS[2], ARGV[7]) end
        redis.call('HSET', KEYS[1], 'env', ARGV[2], 'size', ARGV[3], 'arrival', ARGV[4], 'queue', q, 'fence', '0', 'attempts', '0')
        redis.call('ZADD', KEYS[3 + Q[q]], ARGV[5], ARGV[1])
        redis.call('ZADD', KEYS[8 + Q[q]], ARGV[4], ARGV[1])
        return 1
        """;

    /// <summary>
    /// KEYS: the five queue indexes then the five age indexes of one shard. ARGV: now-ms, lease-expiry-ms, holder, message-key prefix.
    /// Takes the first ready message (incoming, due deferred, expired active lease), bumps its fence and returns {id, HGETALL};
    /// {id} alone when the index pointed at a vanished message (the caller tries again); nil when nothing is ready.
    /// </summary>
    public const string Claim = Prelude + """
        for _, q in ipairs({'incoming', 'deferred', 'active'}) do
          local index = KEYS[1 + Q[q]]
          local ready = redis.call('ZRANGEBYSCORE', index, '-inf', ARGV[1], 'LIMIT', 0, 1)
          if #ready > 0 then
            local id = ready[1]
            local m = ARGV[4] .. id
            redis.call('ZREM', index, id)
            redis.call('ZREM', KEYS[6 + Q[q]], id)
            if redis.call('EXISTS', m) == 0 then return {id} end
            redis.call('HINCRBY', m, 'fence', 1)
            redis.call('HSET', m, 'queue', 'active', 'holder', ARGV[3], 'lease', ARGV[2])
            redis.call('ZADD', KEYS[1 + Q.active], ARGV[2], id)
            redis.call('ZADD', KEYS[6 + Q.active], redis.call('HGET', m, 'arrival'), id)
            return {id, redis.call('HGETALL', m)}
          end
        end
        return false
        """;

    /// <summary>KEYS: m, active index. ARGV: token, lease-expiry-ms, id. 1 renewed, 0 lease lost.</summary>
    public const string Renew = Prelude + """
        if not fenced(KEYS[1], ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'lease', ARGV[2])
        redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
        return 1
        """;

    /// <summary>KEYS: m. ARGV: token, recipient index, state. 1 recorded, 0 already final, -1 lease lost.</summary>
    public const string Outcome = Prelude + """
        if not fenced(KEYS[1], ARGV[1]) then return -1 end
        local field = 'r:' .. ARGV[2]
        if final(redis.call('HGET', KEYS[1], field)) then return 0 end
        redis.call('HSET', KEYS[1], field, ARGV[3])
        return 1
        """;

    /// <summary>ARGV: token, id, retry-at-ms, recipient count. 0 removed (all final), 1 deferred, -1 lease lost.</summary>
    public const string Finish = Prelude + """
        if not fenced(KEYS[1], ARGV[1]) then return -1 end
        local done = true
        for i = 0, tonumber(ARGV[4]) - 1 do
          if not final(redis.call('HGET', KEYS[1], 'r:' .. i)) then done = false break end
        end
        redis.call('ZREM', KEYS[3 + Q.active], ARGV[2])
        redis.call('ZREM', KEYS[8 + Q.active], ARGV[2])
        if done then
          redis.call('DEL', KEYS[1], KEYS[2])
          return 0
        end
        redis.call('HSET', KEYS[1], 'queue', 'deferred', 'nb', ARGV[3])
        redis.call('HDEL', KEYS[1], 'holder', 'lease')
        redis.call('HINCRBY', KEYS[1], 'attempts', 1)
        redis.call('ZADD', KEYS[3 + Q.deferred], ARGV[3], ARGV[2])
        redis.call('ZADD', KEYS[8 + Q.deferred], redis.call('HGET', KEYS[1], 'arrival'), ARGV[2])
        return 1
        """;

    /// <summary>
    /// ARGV: id, target queue, allowed source queues as " a b ", now-ms. Moves a message between queues and drops
    /// any lease (a holder's writes then fail: the message is no longer active). 1 moved, 0 not found or not allowed.
    /// </summary>
    public const string Move = Prelude + """
        local q = redis.call('HGET', KEYS[1], 'queue')
        if not q or not string.find(ARGV[3], ' ' .. q .. ' ', 1, true) then return 0 end
        local t = ARGV[2]
        local arrival = redis.call('HGET', KEYS[1], 'arrival')
        redis.call('ZREM', KEYS[3 + Q[q]], ARGV[1])
        redis.call('ZREM', KEYS[8 + Q[q]], ARGV[1])
        redis.call('HSET', KEYS[1], 'queue', t)
        redis.call('HDEL', KEYS[1], 'holder', 'lease', 'nb')
        local score = arrival
        if t == 'incoming' or t == 'deferred' then score = ARGV[4] end
        redis.call('ZADD', KEYS[3 + Q[t]], score, ARGV[1])
        redis.call('ZADD', KEYS[8 + Q[t]], arrival, ARGV[1])
        return 1
        """;

    /// <summary>ARGV: id. Removes state, body and index entries. 1 removed, 0 not found.</summary>
    public const string Delete = Prelude + """
        local q = redis.call('HGET', KEYS[1], 'queue')
        if not q then return 0 end
        redis.call('ZREM', KEYS[3 + Q[q]], ARGV[1])
        redis.call('ZREM', KEYS[8 + Q[q]], ARGV[1])
        redis.call('DEL', KEYS[1], KEYS[2])
        return 1
        """;

    /// <summary>KEYS: deferred index. ARGV: now-ms, message-key prefix. Makes every deferred message due now; returns how many.</summary>
    public const string Flush = """
        local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
        for _, id in ipairs(ids) do
          redis.call('ZADD', KEYS[1], ARGV[1], id)
          redis.call('HDEL', ARGV[2] .. id, 'nb')
        end
        return #ids
        """;
}

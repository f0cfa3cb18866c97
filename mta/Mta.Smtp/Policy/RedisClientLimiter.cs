using StackExchange.Redis;

namespace Mta.Smtp.Policy;

/// <summary>
/// anvil(8) shared by every smtpd pod through Redis, so connection limits hold for the whole fleet.
/// Each open connection is a member of a sorted set scored by its lease expiry (refreshed while the connection
/// lives), so the connections of a pod killed with -9 stop counting once their leases expire instead of leaking.
/// Rates are INCR counters that expire one anvil_rate_time_unit after their window's first event. Times come from
/// the Redis server (TIME), so pod clocks do not matter; both keys of a client share a hash tag (cluster-safe).
/// When Redis cannot answer, the limiter fails open (no limit), as smtpd does when anvil is unreachable.
/// </summary>
public sealed class RedisClientLimiter : IClientLimiter
{
    private const string ConnectScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        local count = redis.call('ZCARD', KEYS[1])
        local rate = redis.call('INCR', KEYS[2])
        if rate == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
        return {count, rate}
        """;

    private const string RefreshScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    private const string EventScript = """
        local rate = redis.call('INCR', KEYS[1])
        if rate == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return rate
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly TimeSpan _rateTimeUnit;
    private readonly TimeSpan _leaseTtl;
    private readonly string _prefix;
    private readonly Action<string> _log;

    /// <param name="leaseTtl">How long a connection counts without a refresh (refreshed every third of it).</param>
    public RedisClientLimiter(IConnectionMultiplexer redis, TimeSpan rateTimeUnit, string keyPrefix = "mta:anvil:",
        TimeSpan? leaseTtl = null, Action<string>? log = null)
    {
        _redis = redis;
        _rateTimeUnit = rateTimeUnit;
        _leaseTtl = leaseTtl ?? TimeSpan.FromMinutes(3);
        _prefix = keyPrefix;
        _log = log ?? (_ => { });
    }

    public async ValueTask<ClientConnectionLease> ConnectAsync(string service, string clientKey, CancellationToken cancellationToken)
    {
        var tag = Tag(service, clientKey);
        RedisKey connections = tag + ":conn";
        var member = Guid.NewGuid().ToString("N");
        var db = _redis.GetDatabase();
        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await db.ScriptEvaluateAsync(ConnectScript,
                [connections, tag + ":rate:connect"],
                [member, (long)_leaseTtl.TotalMilliseconds, (long)_rateTimeUnit.TotalMilliseconds]))!;
        }
        catch (RedisException e)
        {
            _log($"warning: anvil (redis) unavailable, not limiting {clientKey}: {e.Message}");
            return new ClientConnectionLease(0, 0, () => ValueTask.CompletedTask);
        }
        var refresh = new CancellationTokenSource();
        _ = RefreshAsync(db, connections, member, refresh.Token);
        return new ClientConnectionLease((int)result[0], (int)result[1], async () =>
        {
            await refresh.CancelAsync();
            refresh.Dispose();
            try { await db.SortedSetRemoveAsync(connections, member); }
            catch (RedisException) { /* the lease expires by itself */ }
        });
    }

    public async ValueTask<int> CountEventAsync(string service, string clientKey, ClientEventKind kind, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _redis.GetDatabase().ScriptEvaluateAsync(EventScript,
                [Tag(service, clientKey) + ":rate:" + kind.ToString().ToLowerInvariant()],
                [(long)_rateTimeUnit.TotalMilliseconds]);
            return (int)result;
        }
        catch (RedisException e)
        {
            _log($"warning: anvil (redis) unavailable, not limiting {clientKey}: {e.Message}");
            return 0;
        }
    }

    private string Tag(string service, string clientKey) => $"{_prefix}{{{service}:{clientKey}}}";

    private async Task RefreshAsync(IDatabase db, RedisKey key, string member, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_leaseTtl / 3, ct);
                await db.ScriptEvaluateAsync(RefreshScript, [key], [member, (long)_leaseTtl.TotalMilliseconds]);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (RedisException e)
            {
                // Keep trying: a short Redis outage must not drop a live connection from the count for good.
                _log($"warning: anvil (redis) lease refresh failed: {e.Message}");
            }
        }
    }
}

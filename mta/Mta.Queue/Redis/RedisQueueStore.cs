using Mta.Queue.Ids;
using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>
/// The shared queue for a fleet of pods (queue_backend = redis). Keeps DESIGN.md's invariants: one atomic
/// script per state change, durable before commit returns (AOF always, optional WAIT), hash-tagged shard keys
/// (Cluster-ready), leases with fencing tokens, per-recipient outcomes, queue IDs unique across pods
/// (the suffix's node number comes from INCR). Redis unreachable: <see cref="QueueUnavailableException"/>.
/// </summary>
public sealed partial class RedisQueueStore : IMailQueue
{
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly RedisKeys _keys;
    private readonly RedisQueueStoreOptions _options;
    private readonly LongQueueIdGenerator _ids;
    private readonly int[] _allShards;
    private int _shardCursor;

    private RedisQueueStore(ConnectionMultiplexer connection, RedisQueueStoreOptions options, long node, IBodyStore? bodies)
    {
        _connection = connection;
        _database = connection.GetDatabase();
        _options = options;
        _keys = new RedisKeys(options.KeyPrefix, options.Shards);
        _ids = new LongQueueIdGenerator(node, options.Time);
        _allShards = Enumerable.Range(0, options.Shards).ToArray();
        Bodies = bodies ?? new RedisBodyStore(_database, _keys, options.OrphanBodyLifetime);
    }

    public IBodyStore Bodies { get; }

    /// <summary>
    /// Connects and takes a node number for queue IDs. Throws <see cref="QueueUnavailableException"/> when Redis
    /// cannot be reached within the operation timeout (the caller retries). <paramref name="bodies"/> replaces
    /// the in-Redis body store, e.g. with an object store.
    /// </summary>
    public static async Task<RedisQueueStore> OpenAsync(RedisQueueStoreOptions options, IBodyStore? bodies = null, CancellationToken cancellationToken = default)
    {
        if (options.Shards is < 1 or > 16384) throw new ArgumentOutOfRangeException(nameof(options), "Shards must be 1..16384");
        var configuration = RedisUrl.Parse(options.RedisUrl);
        int timeout = (int)options.OperationTimeout.TotalMilliseconds;
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = timeout;
        configuration.SyncTimeout = timeout;
        configuration.AsyncTimeout = timeout;
        // Fail at once while disconnected: smtpd answers 451 now rather than holding the client, and a command
        // never reaches Redis after its caller was told it failed.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName = "mta-queue";
        configuration.AllowAdmin = true; // INFO memory, for the Redis memory metrics; the store sends no other admin command
        configuration.ReconnectRetryPolicy = new ExponentialRetry(250, 5000);
        ConnectionMultiplexer connection;
        try
        {
            connection = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisConnectionException e)
        {
            throw new QueueUnavailableException($"queue store unavailable (connect): {e.Message}", e);
        }
        try
        {
            var keys = new RedisKeys(options.KeyPrefix, options.Shards);
            var db = connection.GetDatabase();
            long node = await RedisCalls.RunAsync(() => db.StringIncrementAsync(keys.IdNodeCounter), "allocate queue ID node", cancellationToken).ConfigureAwait(false);
            return new RedisQueueStore(connection, options, node % (1L << 31), bodies);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>True while connected (mta_redis_up).</summary>
    public bool IsConnected => _connection.IsConnected;

    /// <summary>
    /// Redis memory use and limit (INFO memory: used_memory, maxmemory; 0 = no limit), for
    /// mta_redis_memory_used_bytes and mta_redis_maxmemory_bytes: a deferred backlog lives in Redis memory.
    /// </summary>
    public async ValueTask<(long UsedBytes, long MaxBytes)> GetMemoryAsync(CancellationToken cancellationToken)
    {
        var server = _connection.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica)
            ?? throw new QueueUnavailableException("queue store unavailable (memory info): not connected");
        var sections = await RedisCalls.RunAsync(() => server.InfoAsync("memory"), "memory info", cancellationToken).ConfigureAwait(false);
        var fields = sections.SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        long Field(string name) =>
            fields.TryGetValue(name, out var text) && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value) ? value : 0;
        return (Field("used_memory"), Field("maxmemory"));
    }

    public QueueId NewQueueId() => _ids.Next();

    public async ValueTask<IMessageWriter> BeginMessageAsync(QueueId id, CancellationToken cancellationToken)
    {
        if (!QueueId.IsValid(id.Value)) throw new ArgumentException($"bad queue ID {id}", nameof(id));
        var body = await Bodies.CreateAsync(id, cancellationToken).ConfigureAwait(false);
        return new RedisMessageWriter(id, body, this);
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync().ConfigureAwait(false);

    /// <summary>The store's connection and key prefix, shared by the fleet coordination (shard leases, destination slots).</summary>
    internal IDatabase Database => _database;

    internal string KeyPrefix => _options.KeyPrefix;

    internal long NowMilliseconds() => _options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Runs a script whose KEYS are the message's state and body keys and its shard's ten indexes.</summary>
    internal Task<RedisResult> RunMessageScriptAsync(string script, QueueId id, RedisValue[] args, string what, CancellationToken cancellationToken)
    {
        int shard = _keys.ShardOf(id);
        RedisKey[] keys = [_keys.Message(id), _keys.Body(id), .. _keys.AllIndexes(shard)];
        return RedisCalls.RunAsync(() => _database.ScriptEvaluateAsync(script, keys, args), what, cancellationToken);
    }

    /// <summary>
    /// When replicas are configured, waits until one has the enqueue. If none confirms in time, the message is
    /// withdrawn and the caller answers 451, so the client retries rather than trusting one copy.
    /// </summary>
    internal async ValueTask WaitForReplicasAsync(QueueId id, CancellationToken cancellationToken)
    {
        if (_options.WaitReplicas <= 0) return;
        var acknowledged = await RedisCalls.RunAsync(
            () => _database.ExecuteAsync("WAIT", _options.WaitReplicas, (long)_options.WaitTimeout.TotalMilliseconds),
            "wait for replicas", cancellationToken).ConfigureAwait(false);
        if ((long)acknowledged >= _options.WaitReplicas) return;
        await RunMessageScriptAsync(RedisScripts.Delete, id, [id.Value], "withdraw unreplicated message", CancellationToken.None).ConfigureAwait(false);
        throw new QueueUnavailableException($"{id}: {(long)acknowledged} of {_options.WaitReplicas} Redis replicas confirmed the message in time");
    }
}

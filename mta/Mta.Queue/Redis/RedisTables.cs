using Mta.Config.Tables;
using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>
/// The redis: lookup table type, for pods: <c>redis:NAME</c> reads the hash of table NAME in the Redis of a
/// redis_url (key prefix from its <c>prefix</c> option, timeout from <c>timeout</c>), and <see cref="LoadAsync"/>
/// replaces a table in one step, for postmap/postalias and for loading the aliases the operator renders.
/// </summary>
public static class RedisTables
{
    public const string TypeName = "redis";

    /// <summary>
    /// Registers the redis: type with <paramref name="factory"/>. The connection is made on the first lookup and
    /// shared by every redis: table of the factory; dispose the result to close it (process end does too).
    /// </summary>
    public static IAsyncDisposable Register(LookupTableFactory factory, string redisUrl)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var settings = RedisQueueStoreOptions.FromUrl(redisUrl);
        var connection = new SharedConnection(redisUrl, settings.OperationTimeout);
        factory.Register(TypeName, (_, name, options) =>
        {
            try
            {
                return new RedisLookupTable(name, options, connection.GetDatabaseAsync, settings.KeyPrefix);
            }
            catch (ArgumentException e)
            {
                throw new TableLookupException($"{TypeName}:{name}", e.Message, e);
            }
        });
        return connection;
    }

    /// <summary>
    /// Replaces table <paramref name="name"/> with <paramref name="entries"/> atomically: readers see the old table
    /// or the new one, never a mix. Keys are folded to lower case (as postmap does without -f); the first of
    /// duplicate keys wins (Postfix warns and keeps the first). Returns the number of entries loaded.
    /// </summary>
    public static async Task<int> LoadAsync(string redisUrl, string name, IEnumerable<(string Key, string Value)> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var settings = RedisQueueStoreOptions.FromUrl(redisUrl);
        var table = RedisTableKeys.Table(settings.KeyPrefix, name);
        var loading = RedisTableKeys.Loading(settings.KeyPrefix, name);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in entries) fields.TryAdd(key.ToLowerInvariant(), value);

        await using var connection = await RedisConnector.ConnectAsync(redisUrl, settings.OperationTimeout, "mta-tables", cancellationToken).ConfigureAwait(false);
        var db = connection.GetDatabase();
        if (fields.Count == 0)
        {
            await RedisCalls.RunAsync(() => db.KeyDeleteAsync(table), "table load", cancellationToken).ConfigureAwait(false);
            return 0;
        }
        try
        {
            // A loader that dies half-way leaves a temporary hash that expires by itself.
            foreach (var batch in fields.Chunk(1000))
            {
                var hashEntries = batch.Select(f => new HashEntry(f.Key, f.Value)).ToArray();
                var transaction = db.CreateTransaction();
                _ = transaction.HashSetAsync(loading, hashEntries);
                _ = transaction.KeyExpireAsync(loading, TimeSpan.FromHours(1));
                await RedisCalls.RunAsync(() => transaction.ExecuteAsync(), "table load", cancellationToken).ConfigureAwait(false);
            }
            await RedisCalls.RunAsync(() => db.ScriptEvaluateAsync(SwapIn, [loading, table]), "table load", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            try { await db.KeyDeleteAsync(loading).ConfigureAwait(false); } catch (Exception e) when (e is RedisException or TimeoutException) { }
            throw;
        }
        return fields.Count;
    }

    /// <summary>RENAME carries the temporary hash's expiry over; PERSIST drops it in the same atomic step.</summary>
    private const string SwapIn = """
        redis.call('RENAME', KEYS[1], KEYS[2])
        redis.call('PERSIST', KEYS[2])
        return 1
        """;

    /// <summary>One lazily made connection for all redis: tables of a factory.</summary>
    private sealed class SharedConnection(string redisUrl, TimeSpan timeout) : IAsyncDisposable
    {
        private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(
            () => RedisConnector.ConnectAsync(redisUrl, timeout, "mta-tables", CancellationToken.None));

        public async Task<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
        {
            try
            {
                return (await _connection.Value.WaitAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
            }
            catch (RedisConnectionException e)
            {
                throw new QueueUnavailableException($"table store unavailable (connect): {e.Message}", e);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_connection.IsValueCreated) await (await _connection.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
    }
}

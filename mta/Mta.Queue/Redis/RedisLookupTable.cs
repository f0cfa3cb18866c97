using Mta.Config.Tables;
using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>
/// redis:NAME — a fixed-string lookup table held in a Redis hash (see <see cref="RedisTableKeys"/>), shared by
/// every pod; loaded with <see cref="RedisTables.LoadAsync"/>. Every lookup asks Redis, so a reload is seen at once.
/// Redis unreachable: <see cref="TableLookupException"/> (Postfix's DICT_ERR_RETRY: the caller defers).
/// </summary>
internal sealed class RedisLookupTable(string name, TableOpenOptions options, Func<CancellationToken, Task<IDatabase>> database, string prefix) : ILookupTable
{
    private readonly RedisKey _key = RedisTableKeys.Table(prefix, name);

    public string Reference { get; } = "redis:" + name;

    public bool IsFixed => true;

    public async ValueTask<string?> LookupAsync(string key, CancellationToken cancellationToken = default)
    {
        if (options.FoldCase) key = key.ToLowerInvariant();
        try
        {
            var db = await database(cancellationToken).ConfigureAwait(false);
            var value = await RedisCalls.RunAsync(() => db.HashGetAsync(_key, key), "table lookup", cancellationToken).ConfigureAwait(false);
            return value.IsNull ? null : value.ToString();
        }
        catch (QueueUnavailableException e)
        {
            throw new TableLookupException(Reference, e.Message, e);
        }
    }
}

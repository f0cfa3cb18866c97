using System.Globalization;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Mta.Queue.Redis;

public sealed partial class RedisQueueStore
{
    public int ShardCount => _keys.Shards;

    public int ShardOf(QueueId id) => _keys.ShardOf(id);

    public ValueTask<MessageLease?> ClaimNextAsync(string holder, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        ClaimNextAsync(holder, leaseDuration, _allShards, cancellationToken);

    public async ValueTask<MessageLease?> ClaimNextAsync(string holder, TimeSpan leaseDuration, IReadOnlyList<int> shards, CancellationToken cancellationToken)
    {
        if (shards.Any(s => s < 0 || s >= _keys.Shards)) throw new ArgumentOutOfRangeException(nameof(shards));
        if (shards.Count == 0) return null;
        // Start at a different shard each call so consumers spread over shards instead of all draining the first.
        int start = (int)((uint)Interlocked.Increment(ref _shardCursor) % (uint)shards.Count);
        for (int i = 0; i < shards.Count; i++)
        {
            int shard = shards[(start + i) % shards.Count];
            while (true)
            {
                long now = NowMilliseconds();
                long expires = now + (long)leaseDuration.TotalMilliseconds;
                var result = await RedisCalls.RunAsync(
                    () => _database.ScriptEvaluateAsync(RedisScripts.Claim, _keys.AllIndexes(shard), [now, expires, holder, _keys.MessagePrefix(shard)]),
                    "claim", cancellationToken).ConfigureAwait(false);
                if (result.IsNull) break;
                var parts = (RedisResult[])result!;
                var id = new QueueId((string)parts[0]!);
                if (parts.Length < 2) continue; // a stale index entry was dropped; look again
                var hash = RedisMessageMapper.FromFlat((RedisResult[])parts[1]!);
                QueuedMessage message;
                try
                {
                    message = RedisMessageMapper.ToMessage(id, hash);
                }
                catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or FormatException)
                {
                    await MoveAsync(id, QueueName.Corrupt, [QueueName.Active], cancellationToken).ConfigureAwait(false);
                    continue;
                }
                return new MessageLease(id, (long)hash["fence"], holder, DateTimeOffset.FromUnixTimeMilliseconds(expires), message);
            }
        }
        return null;
    }

    public async ValueTask<MessageLease> RenewAsync(MessageLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        long expires = NowMilliseconds() + (long)leaseDuration.TotalMilliseconds;
        var result = await RedisCalls.RunAsync(
            () => _database.ScriptEvaluateAsync(RedisScripts.Renew,
                [_keys.Message(lease.Id), _keys.Queue(_keys.ShardOf(lease.Id), QueueName.Active)],
                [Token(lease), expires, lease.Id.Value]),
            "renew lease", cancellationToken).ConfigureAwait(false);
        if ((long)result == 0) throw new LeaseLostException(lease.Id, $"lease with fencing token {lease.Token} is no longer held");
        return lease with { ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(expires) };
    }

    public async ValueTask<OutcomeResult> RecordOutcomeAsync(MessageLease lease, int recipientIndex, RecipientOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Status == RecipientStatus.Pending) throw new ArgumentException("an outcome cannot be pending", nameof(outcome));
        if ((uint)recipientIndex >= (uint)lease.Message.Envelope.Recipients.Count) throw new ArgumentOutOfRangeException(nameof(recipientIndex));
        string state = RedisMessageMapper.FormatState(outcome, _options.Time.GetUtcNow());
        var result = (long)await RedisCalls.RunAsync(
            () => _database.ScriptEvaluateAsync(RedisScripts.Outcome, [_keys.Message(lease.Id)], [Token(lease), recipientIndex, state]),
            "record outcome", cancellationToken).ConfigureAwait(false);
        return result switch
        {
            1 => OutcomeResult.Recorded,
            0 => OutcomeResult.AlreadyFinal,
            _ => throw new LeaseLostException(lease.Id, $"fencing token {lease.Token} is stale"),
        };
    }

    public async ValueTask<QueueName?> FinishAsync(MessageLease lease, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        var result = (long)await RunMessageScriptAsync(RedisScripts.Finish, lease.Id,
            [Token(lease), lease.Id.Value, retryAt.ToUnixTimeMilliseconds(), lease.Message.Envelope.Recipients.Count],
            "finish", cancellationToken).ConfigureAwait(false);
        switch (result)
        {
            case 0:
                if (Bodies is not RedisBodyStore) await Bodies.DeleteAsync(lease.Id, cancellationToken).ConfigureAwait(false);
                return null;
            case 1:
                return QueueName.Deferred;
            default:
                throw new LeaseLostException(lease.Id, $"fencing token {lease.Token} is stale");
        }
    }

    public async ValueTask<QueuedMessage?> GetAsync(QueueId id, CancellationToken cancellationToken)
    {
        if (!QueueId.IsValid(id.Value)) return null;
        var entries = await RedisCalls.RunAsync(() => _database.HashGetAllAsync(_keys.Message(id)), "read message", cancellationToken).ConfigureAwait(false);
        if (entries.Length == 0) return null;
        try
        {
            return RedisMessageMapper.ToMessage(id, RedisMessageMapper.FromEntries(entries));
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or FormatException)
        {
            return null;
        }
    }

    public ValueTask<Stream> OpenBodyAsync(QueueId id, CancellationToken cancellationToken) => Bodies.OpenReadAsync(id, cancellationToken);

    public async IAsyncEnumerable<QueuedMessage> ListAsync(QueueName? queue, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int Batch = 256;
        foreach (var name in queue is { } only ? [only] : QueueNames.All)
        {
            for (int shard = 0; shard < _keys.Shards; shard++)
            {
                var key = _keys.Age(shard, name);
                var ids = await RedisCalls.RunAsync(() => _database.SortedSetRangeByRankAsync(key), "list queue", cancellationToken).ConfigureAwait(false);
                foreach (var chunk in ids.Chunk(Batch))
                {
                    var reads = chunk.Select(v => (Id: new QueueId((string)v!), Read: _database.HashGetAllAsync(_keys.Message(new QueueId((string)v!))))).ToArray();
                    await RedisCalls.RunAsync(async () => { await Task.WhenAll(reads.Select(r => r.Read)).ConfigureAwait(false); return true; }, "list queue", cancellationToken).ConfigureAwait(false);
                    foreach (var (id, read) in reads)
                    {
                        var entries = read.Result;
                        if (entries.Length == 0) continue; // removed meanwhile
                        QueuedMessage message;
                        try
                        {
                            message = RedisMessageMapper.ToMessage(id, RedisMessageMapper.FromEntries(entries));
                        }
                        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or FormatException)
                        {
                            continue; // unreadable: the queue manager quarantines it when it claims it
                        }
                        if (message.Queue == name) yield return message;
                    }
                }
            }
        }
    }

    public ValueTask<bool> HoldAsync(QueueId id, CancellationToken cancellationToken) =>
        MoveAsync(id, QueueName.Hold, [QueueName.Incoming, QueueName.Active, QueueName.Deferred], cancellationToken);

    public ValueTask<bool> ReleaseAsync(QueueId id, CancellationToken cancellationToken) =>
        MoveAsync(id, QueueName.Deferred, [QueueName.Hold], cancellationToken);

    public ValueTask<bool> RequeueAsync(QueueId id, CancellationToken cancellationToken) =>
        MoveAsync(id, QueueName.Incoming, [QueueName.Incoming, QueueName.Active, QueueName.Deferred, QueueName.Hold], cancellationToken);

    public async ValueTask<bool> DeleteAsync(QueueId id, CancellationToken cancellationToken)
    {
        if (!QueueId.IsValid(id.Value)) return false;
        bool removed = (long)await RunMessageScriptAsync(RedisScripts.Delete, id, [id.Value], "delete", cancellationToken).ConfigureAwait(false) == 1;
        if (removed && Bodies is not RedisBodyStore) await Bodies.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        return removed;
    }

    public async ValueTask<int> FlushAsync(CancellationToken cancellationToken)
    {
        int total = 0;
        for (int shard = 0; shard < _keys.Shards; shard++)
        {
            int s = shard;
            total += (int)(long)await RedisCalls.RunAsync(
                () => _database.ScriptEvaluateAsync(RedisScripts.Flush, [_keys.Queue(s, QueueName.Deferred)], [NowMilliseconds(), _keys.MessagePrefix(s)]),
                "flush", cancellationToken).ConfigureAwait(false);
        }
        return total;
    }

    public async ValueTask<IReadOnlyList<QueueDepth>> GetDepthsAsync(CancellationToken cancellationToken)
    {
        var counts = new List<(QueueName Queue, Task<long> Count, Task<SortedSetEntry[]> Oldest)>();
        foreach (var queue in QueueNames.All)
            for (int shard = 0; shard < _keys.Shards; shard++)
                counts.Add((queue, _database.SortedSetLengthAsync(_keys.Queue(shard, queue)),
                    _database.SortedSetRangeByRankWithScoresAsync(_keys.Age(shard, queue), 0, 0)));
        await RedisCalls.RunAsync(async () =>
        {
            await Task.WhenAll(counts.SelectMany(c => new Task[] { c.Count, c.Oldest })).ConfigureAwait(false);
            return true;
        }, "queue depth", cancellationToken).ConfigureAwait(false);
        return counts.GroupBy(c => c.Queue).Select(g =>
        {
            var oldest = g.SelectMany(c => c.Oldest.Result).Select(e => (double?)e.Score).Min();
            return new QueueDepth(g.Key, g.Sum(c => c.Count.Result),
                oldest is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms) : null);
        }).ToList();
    }

    private async ValueTask<bool> MoveAsync(QueueId id, QueueName to, QueueName[] allowedFrom, CancellationToken cancellationToken)
    {
        if (!QueueId.IsValid(id.Value)) return false;
        string from = " " + string.Join(' ', allowedFrom.Select(q => q.ToPostfixName())) + " ";
        var result = await RunMessageScriptAsync(RedisScripts.Move, id, [id.Value, to.ToPostfixName(), from, NowMilliseconds()], "move", cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    private static RedisValue Token(MessageLease lease) => lease.Token.ToString(CultureInfo.InvariantCulture);
}

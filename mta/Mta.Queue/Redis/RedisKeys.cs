using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>
/// Key names. Every key but the ID-node counter carries its shard's hash tag, e.g. <c>mta:{q7}:m:ID</c>:
/// a message's state and body and its shard's queue indexes live in one Cluster slot, so each Lua
/// script touches one slot only and the store runs unchanged on Redis Cluster.
/// <list type="bullet">
/// <item><c>P:{qN}:m:ID</c> hash: env (JSON envelope), size, arrival, queue, fence, holder, lease, nb, attempts, r:I (recipient I's state).</item>
/// <item><c>P:{qN}:b:ID</c> string: the body bytes.</item>
/// <item><c>P:{qN}:QUEUE</c> sorted set of IDs: incoming scored by ready time, deferred by not-before, active by lease expiry, hold/corrupt by arrival.</item>
/// <item><c>P:{qN}:age:QUEUE</c> sorted set of IDs scored by arrival (oldest-age metric).</item>
/// </list>
/// </summary>
internal sealed class RedisKeys(string prefix, int shards)
{
    public int Shards => shards;

    public RedisKey IdNodeCounter => $"{prefix}:idnode";

    public int ShardOf(QueueId id)
    {
        // FNV-1a: stable across processes and runtimes (string.GetHashCode is randomised per process).
        uint hash = 2166136261;
        foreach (char c in id.Value) hash = (hash ^ c) * 16777619;
        return (int)(hash % (uint)shards);
    }

    public string ShardPrefix(int shard) => $"{prefix}:{{q{shard}}}:";

    public RedisKey Message(QueueId id) => ShardPrefix(ShardOf(id)) + "m:" + id.Value;

    public RedisKey Body(QueueId id) => ShardPrefix(ShardOf(id)) + "b:" + id.Value;

    public string MessagePrefix(int shard) => ShardPrefix(shard) + "m:";

    public string BodyPrefix(int shard) => ShardPrefix(shard) + "b:";

    public RedisKey Queue(int shard, QueueName queue) => ShardPrefix(shard) + queue.ToPostfixName();

    public RedisKey Age(int shard, QueueName queue) => ShardPrefix(shard) + "age:" + queue.ToPostfixName();

    /// <summary>The five queue indexes then the five age indexes, in <see cref="QueueNames.All"/> order (what the scripts expect).</summary>
    public RedisKey[] AllIndexes(int shard) =>
        [.. QueueNames.All.Select(q => Queue(shard, q)), .. QueueNames.All.Select(q => Age(shard, q))];
}

namespace Mta.Queue.Redis;

/// <summary>How to open a <see cref="RedisQueueStore"/> (bound from main.cf: queue_backend = redis, redis_url).</summary>
/// <param name="RedisUrl">redis_url.</param>
public sealed record RedisQueueStoreOptions(string RedisUrl)
{
    /// <summary>Number of queue shards ({q0}..{qN-1}); every process sharing the queue must use the same number.</summary>
    public int Shards { get; init; } = 16;

    /// <summary>Prefix of every key, so several queues can share one Redis.</summary>
    public string KeyPrefix { get; init; } = "mta";

    /// <summary>Replicas that must acknowledge an enqueue (WAIT) before commit returns; 0 when there are none.</summary>
    public int WaitReplicas { get; init; }

    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Connect and command timeout: how long smtpd may hang before it answers 451.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bodies written ahead of their envelope (object-store bodies) expire after this unless an envelope commits.</summary>
    public TimeSpan OrphanBodyLifetime { get; init; } = TimeSpan.FromHours(1);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}

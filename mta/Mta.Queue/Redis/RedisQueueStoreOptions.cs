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

    /// <summary>
    /// Options from a redis_url and its query string: shards (1..16384), wait_replicas (0..), wait_timeout
    /// (milliseconds), prefix (key prefix), timeout (milliseconds). Unknown names are an error, so a typo does
    /// not silently drop a durability setting.
    /// </summary>
    public static RedisQueueStoreOptions FromUrl(string redisUrl)
    {
        var options = new RedisQueueStoreOptions(redisUrl);
        foreach (var (name, value) in Mta.Queue.Redis.RedisUrl.QueryOptions(redisUrl))
        {
            options = name.ToLowerInvariant() switch
            {
                "shards" => options with { Shards = Number(name, value, 1, 16384) },
                "wait_replicas" => options with { WaitReplicas = Number(name, value, 0, 100) },
                "wait_timeout" => options with { WaitTimeout = TimeSpan.FromMilliseconds(Number(name, value, 1, 600_000)) },
                "timeout" => options with { OperationTimeout = TimeSpan.FromMilliseconds(Number(name, value, 1, 600_000)) },
                "prefix" => options with { KeyPrefix = value.Length > 0 && !value.Contains('{') ? value : throw new FormatException($"redis_url: bad prefix \"{value}\"") },
                _ => throw new FormatException($"redis_url: unknown option \"{name}\""),
            };
        }
        Mta.Queue.Redis.RedisUrl.Parse(redisUrl); // the rest must be valid too
        return options;
    }

    private static int Number(string name, string value, int min, int max) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new FormatException($"redis_url: {name} must be a number from {min} to {max}, got \"{value}\"");
}

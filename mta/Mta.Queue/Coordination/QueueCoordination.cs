using Mta.Queue.Redis;

namespace Mta.Queue.Coordination;

/// <summary>
/// Picks the coordination that fits a queue store: a shared Redis queue needs shard leases and destination
/// slots counted across the fleet; any other store has one queue manager and counts in process.
/// </summary>
public static class QueueCoordination
{
    /// <summary>
    /// Shard leases and destination slots for <paramref name="store"/>. <paramref name="holder"/> names this process
    /// in Redis and must be unique across the fleet (<see cref="NewHolderName"/>). Dispose the shard leases at
    /// shutdown so peers take the shards over at once.
    /// </summary>
    public static (IShardLeases Shards, IDestinationSlots Slots) For(IMailQueue store, string holder) => store switch
    {
        RedisQueueStore redis => (new RedisShardLeases(redis, holder), new RedisDestinationSlots(redis, holder)),
        _ => (new SingleShardLeases(store), new InProcessDestinationSlots()),
    };

    /// <summary>A holder name unique across pods and processes: host:pid:random.</summary>
    public static string NewHolderName() =>
        $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";
}

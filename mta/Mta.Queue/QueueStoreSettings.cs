namespace Mta.Queue;

/// <summary>
/// What a role needs to open its queue, bound once from main.cf: queue_backend (file | redis),
/// queue_directory (file) and redis_url (redis; queue options in its query string).
/// </summary>
/// <param name="Backend">queue_backend: "file" (default) or "redis".</param>
/// <param name="QueueDirectory">queue_directory.</param>
/// <param name="RedisUrl">redis_url.</param>
/// <param name="Recover">
/// The queue manager's process sets this: the file store then recovers after a crash (active back to incoming,
/// leftovers removed). Redis needs no recovery step: expired leases are taken over.
/// </param>
public sealed record QueueStoreSettings(string Backend, string QueueDirectory, string RedisUrl, bool Recover = false)
{
    public const string FileBackend = "file";
    public const string RedisBackend = "redis";
}

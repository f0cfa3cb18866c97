using Mta.Queue.File;
using Mta.Queue.Redis;

namespace Mta.Queue;

/// <summary>Opens the store main.cf asks for; callers get an <see cref="IMailQueue"/> and never learn which.</summary>
public static class QueueStoreFactory
{
    /// <summary>
    /// Throws <see cref="FormatException"/> for a bad queue_backend or redis_url (a configuration error), and
    /// <see cref="QueueUnavailableException"/> when Redis cannot be reached now (retry later).
    /// </summary>
    public static async Task<IMailQueue> OpenAsync(QueueStoreSettings settings, CancellationToken cancellationToken = default)
    {
        switch (settings.Backend.Trim().ToLowerInvariant())
        {
            case QueueStoreSettings.FileBackend:
                if (string.IsNullOrWhiteSpace(settings.QueueDirectory)) throw new FormatException("queue_directory is empty");
                return FileQueueStore.Open(new FileQueueStoreOptions(settings.QueueDirectory, settings.Recover));
            case QueueStoreSettings.RedisBackend:
                if (string.IsNullOrWhiteSpace(settings.RedisUrl)) throw new FormatException("queue_backend = redis requires redis_url");
                return await RedisQueueStore.OpenAsync(RedisQueueStoreOptions.FromUrl(settings.RedisUrl), cancellationToken: cancellationToken).ConfigureAwait(false);
            default:
                throw new FormatException($"queue_backend: expected \"file\" or \"redis\", got \"{settings.Backend}\"");
        }
    }
}

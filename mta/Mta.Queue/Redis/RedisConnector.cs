using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>
/// Connects to a redis_url the way <see cref="RedisQueueStore"/> does (fail fast while disconnected, reconnect in
/// the background), for the other Redis users in a pod such as the redis: lookup tables.
/// </summary>
internal static class RedisConnector
{
    public static async Task<ConnectionMultiplexer> ConnectAsync(string redisUrl, TimeSpan timeout, string clientName, CancellationToken cancellationToken)
    {
        var configuration = RedisUrl.Parse(redisUrl);
        int milliseconds = (int)timeout.TotalMilliseconds;
        configuration.AbortOnConnectFail = false; // come up while Redis is down; commands fail until it is back
        configuration.ConnectTimeout = milliseconds;
        configuration.SyncTimeout = milliseconds;
        configuration.AsyncTimeout = milliseconds;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName = clientName;
        configuration.ReconnectRetryPolicy = new ExponentialRetry(250, 5000);
        return await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}

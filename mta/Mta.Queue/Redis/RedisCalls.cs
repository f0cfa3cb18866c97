using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>Runs a Redis call and turns "Redis cannot serve us now" into <see cref="QueueUnavailableException"/> (smtpd: 451 4.3.0).</summary>
internal static class RedisCalls
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> call, string what, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await call().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new QueueUnavailableException($"queue store unavailable ({what}): {e.Message}", e);
        }
    }

    private static bool IsUnavailable(Exception e) => e switch
    {
        RedisConnectionException or RedisTimeoutException or ObjectDisposedException => true,
        // LOADING, MISCONF (AOF write failed), READONLY (failover), OOM, NOREPLICAS...; not our own script errors.
        RedisServerException server => !server.Message.Contains("MTA ", StringComparison.Ordinal),
        _ => false,
    };
}

using System.Collections.Concurrent;

namespace Mta.Operator.Controller;

/// <summary>
/// Per-key exponential backoff (client-go's ItemExponentialFailureRateLimiter): base * 2^failures, capped.
/// <see cref="Forget"/> after a success starts the key over.
/// </summary>
public sealed class ExponentialBackoff(TimeSpan baseDelay, TimeSpan maxDelay)
{
    private readonly ConcurrentDictionary<string, int> failures = new(StringComparer.Ordinal);

    public TimeSpan BaseDelay { get; } = baseDelay;
    public TimeSpan MaxDelay { get; } = maxDelay;

    /// <summary>Counts one more failure for the key and returns how long to wait before retrying it.</summary>
    public TimeSpan Next(string key)
    {
        var n = failures.AddOrUpdate(key, 1, (_, f) => f + 1);
        return Delay(n - 1);
    }

    public TimeSpan Delay(int previousFailures)
    {
        var exponent = Math.Min(previousFailures, 30);
        var ticks = BaseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public int Failures(string key) => failures.TryGetValue(key, out var n) ? n : 0;

    public void Forget(string key) => failures.TryRemove(key, out _);
}

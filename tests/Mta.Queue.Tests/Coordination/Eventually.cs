namespace Mta.Queue.Tests.Coordination;

/// <summary>Polls a condition until it holds or a deadline passes (leases change only at heartbeats).</summary>
internal static class Eventually
{
    public static async Task<TimeSpan> HoldsAsync(Func<bool> condition, TimeSpan within, string what)
    {
        var started = DateTime.UtcNow;
        while (!condition())
        {
            if (DateTime.UtcNow - started > within) Assert.Fail($"not within {within.TotalSeconds:0.#} s: {what}");
            await Task.Delay(25);
        }
        return DateTime.UtcNow - started;
    }
}

namespace Mta.Queue.Tests.Coordination;

/// <summary>Polls a condition until it holds or a deadline passes (leases change only at heartbeats).</summary>
internal static class Eventually
{
    public static Task<TimeSpan> HoldsAsync(Func<bool> condition, TimeSpan within, string what) =>
        HoldsAsync(() => Task.FromResult(condition()), within, what);

    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var started = DateTime.UtcNow;
        while (!await condition())
        {
            if (DateTime.UtcNow - started > within) Assert.Fail($"not within {within.TotalSeconds:0.#} s: {what}");
            await Task.Delay(25);
        }
        return DateTime.UtcNow - started;
    }
}

namespace Mta.Delivery.Tests.Qmgr;

/// <summary>
/// A clock that moves only when told (so delays in log lines are exact and retry times can be reached at once);
/// timers still run on real time, so polling loops keep going.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

namespace Mta.Operator.Controller;

/// <summary>What the queue store answered: reachable with a depth, or why not.</summary>
public sealed record QueueProbeResult(bool Reachable, long? Queued, string? Error)
{
    public static QueueProbeResult Up(long queued) => new(true, queued, null);
    public static QueueProbeResult Down(string error) => new(false, null, error);
}

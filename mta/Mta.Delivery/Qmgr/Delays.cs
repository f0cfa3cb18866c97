namespace Mta.Delivery.Qmgr;

/// <summary>
/// The times log_adhoc reports: delay= (arrival to outcome) and delays=a/b/c/d — a: before the queue manager
/// (arrival to this attempt's claim, time in the deferred queue included), b: in the queue manager (claim to
/// hand-off), c: connection setup, d: transmission.
/// </summary>
public readonly record struct Delays(TimeSpan Total, TimeSpan BeforeQmgr, TimeSpan InQmgr, TimeSpan ConnectSetup, TimeSpan Transmission)
{
    /// <summary>An outcome the queue manager decided itself (no agent): b runs until now, c and d are zero.</summary>
    public static Delays WithoutAgent(DateTimeOffset arrival, DateTimeOffset claimed, DateTimeOffset now) =>
        new(now - arrival, claimed - arrival, now - claimed, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>
    /// An agent's outcome: c as the agent measured it; d as the agent measured it, or else (no network client)
    /// everything after the hand-off and connection setup, as log_adhoc does without a time stamp.
    /// </summary>
    public static Delays FromAgent(DateTimeOffset arrival, DateTimeOffset claimed, DateTimeOffset handoff, DateTimeOffset done,
        TimeSpan connectSetup, TimeSpan transmission)
    {
        if (transmission <= TimeSpan.Zero) transmission = done - handoff - connectSetup;
        return new(done - arrival, claimed - arrival, handoff - claimed, connectSetup, transmission);
    }
}

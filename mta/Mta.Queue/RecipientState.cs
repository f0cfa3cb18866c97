namespace Mta.Queue;

/// <summary>Where one recipient stands. Delivered and Bounced are final: a retry never touches them again.</summary>
public enum RecipientStatus
{
    /// <summary>Not tried yet.</summary>
    Pending,
    /// <summary>Tried and failed temporarily; will be retried (the reason shows in mailq).</summary>
    Deferred,
    /// <summary>Final: delivered (2.x.x).</summary>
    Delivered,
    /// <summary>Final: failed permanently (5.x.x) or expired; a bounce was or will be sent.</summary>
    Bounced,
}

/// <summary>One recipient's recorded state.</summary>
/// <param name="Status">Current status.</param>
/// <param name="Dsn">Enhanced status code of the last attempt, e.g. "4.4.1"; null when pending.</param>
/// <param name="Reason">Human text of the last attempt (mailq's delay reason); null when pending.</param>
/// <param name="At">When the last outcome was recorded.</param>
public sealed record RecipientState(RecipientStatus Status, string? Dsn = null, string? Reason = null, DateTimeOffset? At = null)
{
    public static readonly RecipientState Pending = new(RecipientStatus.Pending);

    public bool IsFinal => Status is RecipientStatus.Delivered or RecipientStatus.Bounced;
}

/// <summary>What a delivery agent reports for one recipient.</summary>
public sealed record RecipientOutcome(RecipientStatus Status, string Dsn, string Reason)
{
    public static RecipientOutcome Delivered(string dsn, string reason) => new(RecipientStatus.Delivered, dsn, reason);
    public static RecipientOutcome Deferred(string dsn, string reason) => new(RecipientStatus.Deferred, dsn, reason);
    public static RecipientOutcome Bounced(string dsn, string reason) => new(RecipientStatus.Bounced, dsn, reason);
}

/// <summary>Result of recording an outcome.</summary>
public enum OutcomeResult
{
    Recorded,
    /// <summary>The recipient already had a final outcome; nothing changed (no double delivery is recorded).</summary>
    AlreadyFinal,
}

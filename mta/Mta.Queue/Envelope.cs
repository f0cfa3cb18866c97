namespace Mta.Queue;

/// <summary>Everything about a message except its content: who sent it, to whom, and the DSN requests.</summary>
/// <param name="Sender">Envelope sender; empty for the null sender &lt;&gt;.</param>
/// <param name="ArrivalTime">When smtpd or sendmail received it.</param>
/// <param name="Ret">DSN RET (FULL or HDRS), null when not given.</param>
/// <param name="EnvId">DSN ENVID (xtext-decoded), null when not given.</param>
/// <param name="ClientName">Client identity for logs, e.g. "localhost[127.0.0.1]".</param>
/// <param name="Smtputf8">The client declared SMTPUTF8.</param>
/// <param name="Body8Bit">BODY=8BITMIME was declared.</param>
public sealed record Envelope(
    string Sender,
    IReadOnlyList<Recipient> Recipients,
    DateTimeOffset ArrivalTime,
    DsnRet? Ret = null,
    string? EnvId = null,
    string? ClientName = null,
    bool Smtputf8 = false,
    bool Body8Bit = false);

/// <summary>One envelope recipient with its DSN parameters.</summary>
/// <param name="Address">The recipient after rewriting (what delivery uses).</param>
/// <param name="OriginalAddress">The address as the client gave it (Postfix's orig_to), when it differs or for DSN.</param>
/// <param name="Orcpt">DSN ORCPT as given, e.g. "rfc822;user@example.com", or null.</param>
/// <param name="Notify">DSN NOTIFY flags.</param>
public sealed record Recipient(
    string Address,
    string? OriginalAddress = null,
    string? Orcpt = null,
    DsnNotify Notify = DsnNotify.Default);

[Flags]
public enum DsnNotify
{
    /// <summary>No NOTIFY parameter: Postfix then behaves as FAILURE,DELAY.</summary>
    Default = 0,
    Never = 1,
    Success = 2,
    Failure = 4,
    Delay = 8,
}

public enum DsnRet { Full, Hdrs }

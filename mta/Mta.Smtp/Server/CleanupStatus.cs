namespace Mta.Smtp.Server;

/// <summary>Why cleanup refused a message (Postfix's CLEANUP_STAT_* bits that smtpd reports after DATA).</summary>
[Flags]
internal enum CleanupStatus
{
    Ok = 0,
    /// <summary>message_size_limit exceeded: 552 5.3.4 Error: message file too big.</summary>
    Size = 1,
    /// <summary>hopcount_limit reached: 554 5.4.0 Error: too many hops.</summary>
    Hops = 2,
    /// <summary>The queue store failed: 451 4.3.0 Error: queue file write error.</summary>
    Write = 4,
    /// <summary>smtpd_forbid_bare_newline = reject and a bare LF arrived.</summary>
    BareLf = 8,
}

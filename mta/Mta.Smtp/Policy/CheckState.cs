namespace Mta.Smtp.Policy;

/// <summary>The result of one restriction or list (SMTPD_CHECK_DUNNO / _OK / _REJECT).</summary>
internal enum CheckStatus { Dunno = 0, Ok = 1, Reject = 2 }

/// <summary>Postfix's MAIL_ERROR_* classes: software, resource and data errors can never become warnings.</summary>
internal enum ErrorClass { Policy, Software, Resource, Data, Bounce, Protocol }

/// <summary>A postponed decision (defer_if_permit / defer_if_reject); the first reason is kept.</summary>
internal sealed class PendingDeferral
{
    public bool Active;
    public ErrorClass Class;
    public int Code;
    public string Dsn = "";
    public string Text = "";

    public void Raise(ErrorClass cls, int code, string dsn, string text)
    {
        if (Active) return;
        (Active, Class, Code, Dsn, Text) = (true, cls, code, dsn, text);
    }
}

/// <summary>What one smtpd_check call knows and accumulates (the policy side of Postfix's SMTPD_STATE).</summary>
internal sealed class CheckState(SessionInfo session, SessionPolicyState saved, string where)
{
    public SessionInfo Session { get; } = session;
    public SessionPolicyState Saved { get; } = saved;
    /// <summary>The SMTP command being checked, for log lines ("RCPT", "DATA", ...).</summary>
    public string Where { get; set; } = where;
    public string? Sender { get; set; }
    public string? Recipient { get; set; }
    public string? EtrnDomain { get; set; }
    public int Recursion;
    public int WarnIfReject;
    public bool Discard;
    public bool RecipientMapsChecked;
    public bool SenderMapsChecked;
    /// <summary>At DATA and end of data: the number of accepted recipients (else the session count is used).</summary>
    public int? RecipientCountOverride;
    public readonly PendingDeferral DeferIfPermit = new();
    public readonly PendingDeferral DeferIfReject = new();
    /// <summary>The reply of the last rejection (Postfix's error_text).</summary>
    public SmtpReply? Reply;

    /// <summary>SMTPD_CHECK_RESET: per restriction list.</summary>
    public void Reset()
    {
        Recursion = 0;
        WarnIfReject = 0;
        DeferIfReject.Active = false;
    }
}

/// <summary>Thrown to leave a restriction list at once (Postfix's longjmp to smtpd_check_buf).</summary>
internal sealed class CheckAbortedException : Exception;

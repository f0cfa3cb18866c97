namespace Mta.Smtp.Policy;

/// <summary>
/// What access-map actions saved for the current mail transaction (Postfix's saved_flags, saved_filter,
/// saved_redirect, saved_bcc): smtpd reads it at end of data via <see cref="SmtpdPolicy.MessageActions"/>.
/// </summary>
public sealed class SessionPolicyState
{
    /// <summary>HOLD: the message goes to the hold queue.</summary>
    public bool Hold { get; internal set; }
    /// <summary>DISCARD: accept and throw away the message.</summary>
    public bool Discard { get; internal set; }
    /// <summary>FILTER transport:destination (last one wins).</summary>
    public string? Filter { get; internal set; }
    /// <summary>REDIRECT user@domain: replaces all recipients (last one wins).</summary>
    public string? Redirect { get; internal set; }
    /// <summary>BCC user@domain actions.</summary>
    public List<string> Bcc { get; } = new();
    /// <summary>PREPEND header texts, in order.</summary>
    public List<string> Prepend { get; } = new();
    /// <summary>Recipients permitted since MAIL (for reject_multi_recipient_bounce).</summary>
    public int RecipientCount { get; internal set; }

    internal void ResetTransaction()
    {
        Hold = Discard = false;
        Filter = Redirect = null;
        Bcc.Clear();
        Prepend.Clear();
        RecipientCount = 0;
    }
}

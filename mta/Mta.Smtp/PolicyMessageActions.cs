namespace Mta.Smtp;

/// <summary>
/// What access-map actions asked of the current message (Postfix's saved_flags, saved_filter, saved_redirect and
/// the PREPEND list): smtpd writes the PREPEND headers when the message opens, and applies DISCARD and REDIRECT
/// at end of data. BCC recipients arrive through <see cref="ISmtpPolicy.AddedRecipientsAsync"/>.
/// </summary>
/// <param name="Hold">HOLD: the message should go to the hold queue.</param>
/// <param name="Discard">DISCARD: answer as if accepted, keep nothing.</param>
/// <param name="Filter">FILTER transport:destination, or null.</param>
/// <param name="Redirect">REDIRECT user@domain: the only recipient, or null.</param>
/// <param name="Prepend">PREPEND header lines ("Name: value"), in the order the actions ran.</param>
public sealed record PolicyMessageActions(bool Hold, bool Discard, string? Filter, string? Redirect, IReadOnlyList<string> Prepend)
{
    public static readonly PolicyMessageActions None = new(false, false, null, null, []);
}

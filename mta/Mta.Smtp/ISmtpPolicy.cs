namespace Mta.Smtp;

/// <summary>
/// The decisions smtpd asks of its policy (Postfix's smtpd_check.c plus cleanup's address rewriting).
/// smtpd calls each hook at the moment Postfix would evaluate the matching restriction list; with
/// smtpd_delay_reject = yes the implementation returns Permit from the early hooks and evaluates
/// client/helo/sender restrictions again at RCPT time itself (smtpd passes everything it needs).
/// Addresses are passed without angle brackets; the null sender is the empty string.
/// </summary>
public interface ISmtpPolicy
{
    /// <summary>smtpd_client_restrictions, after the connection is set up (before the greeting).</summary>
    ValueTask<PolicyVerdict> CheckClientAsync(SessionInfo session, CancellationToken cancellationToken);

    /// <summary>smtpd_helo_restrictions, after a syntactically valid HELO/EHLO.</summary>
    ValueTask<PolicyVerdict> CheckHeloAsync(SessionInfo session, string heloName, CancellationToken cancellationToken);

    /// <summary>smtpd_sender_restrictions, for MAIL FROM after parameter checks.</summary>
    ValueTask<PolicyVerdict> CheckSenderAsync(SessionInfo session, string sender, CancellationToken cancellationToken);

    /// <summary>smtpd_relay_restrictions then smtpd_recipient_restrictions (and unlisted-recipient checks), for RCPT TO.</summary>
    ValueTask<PolicyVerdict> CheckRecipientAsync(SessionInfo session, string sender, string recipient, CancellationToken cancellationToken);

    /// <summary>VRFY: the recipient checks without a sender (Postfix answers 252 when permitted).</summary>
    ValueTask<PolicyVerdict> CheckVerifyAsync(SessionInfo session, string address, CancellationToken cancellationToken);

    /// <summary>smtpd_etrn_restrictions for ETRN domain.</summary>
    ValueTask<PolicyVerdict> CheckEtrnAsync(SessionInfo session, string domain, CancellationToken cancellationToken);

    /// <summary>smtpd_data_restrictions, at DATA or the first BDAT, with the accepted recipients (as the client gave them).</summary>
    ValueTask<PolicyVerdict> CheckDataAsync(SessionInfo session, string sender, IReadOnlyList<string> recipients, CancellationToken cancellationToken);

    /// <summary>smtpd_end_of_data_restrictions, after the whole message arrived and before it is committed.</summary>
    ValueTask<PolicyVerdict> CheckEndOfDataAsync(SessionInfo session, string sender, IReadOnlyList<string> recipients, long messageSize, CancellationToken cancellationToken);

    /// <summary>Cleanup's envelope sender rewriting (canonical_maps, sender_canonical_maps); returns the address to store.</summary>
    ValueTask<string> RewriteSenderAsync(SessionInfo session, string sender, CancellationToken cancellationToken);

    /// <summary>
    /// Cleanup's recipient rewriting (canonical_maps, recipient_canonical_maps, then virtual_alias_maps expansion):
    /// the addresses to store for one accepted RCPT. An empty list drops the recipient; one entry equal to the input means unchanged.
    /// </summary>
    ValueTask<IReadOnlyList<string>> RewriteRecipientAsync(SessionInfo session, string recipient, CancellationToken cancellationToken);

    /// <summary>Recipients cleanup adds to every message (always_bcc, sender_bcc_maps), asked once per message at end of data.</summary>
    ValueTask<IReadOnlyList<string>> AddedRecipientsAsync(SessionInfo session, string sender, CancellationToken cancellationToken);

    /// <summary>
    /// The actions access maps saved for the message in progress (since MAIL): asked when the message opens (for
    /// PREPEND) and after the end-of-data restrictions (for DISCARD, REDIRECT, HOLD, FILTER).
    /// </summary>
    PolicyMessageActions SavedMessageActions(SessionInfo session);
}

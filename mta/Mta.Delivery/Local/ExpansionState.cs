namespace Mta.Delivery.Local;

/// <summary>
/// local(8)'s per-level delivery attributes (LOCAL_STATE + DELIVER_ATTR): copied, never shared, as each level of
/// alias, :include: or .forward expansion recurses, so a child's changes never leak back to its parent.
/// </summary>
public sealed record ExpansionState
{
    /// <summary>Nesting depth; Postfix gives up at 100 ("recipient nesting limit exceeded", "alias database loop").</summary>
    public int Level { get; init; }

    /// <summary>The address being delivered at this level (rcpt.address).</summary>
    public required string Address { get; init; }

    /// <summary>Envelope sender; an owner- alias replaces it.</summary>
    public required string Sender { get; init; }

    /// <summary>Original recipient (X-Original-To:, ORIGINAL_RECIPIENT, orig_to of forwarded mail); empty for owner- lists.</summary>
    public required string OriginalRecipient { get; init; }

    /// <summary>The Delivered-To: address (frozen_delivered_to: the top-level recipient).</summary>
    public string? Delivered { get; init; }

    /// <summary>The owner attribute: set by an owner- alias, :include: or .forward; mail for other users is then forwarded.</summary>
    public string? Owner { get; init; }

    /// <summary>How the current destination was found (decides allow_mail_to_commands/files).</summary>
    public ExpansionType ExpansionType { get; init; }

    /// <summary>The alias or user being expanded (an alias that lists itself delivers to the user).</summary>
    public string? ExpandedFrom { get; init; }

    /// <summary>An address extension to pass on to expansions (propagate_unmatched_extensions).</summary>
    public string? Unmatched { get; init; }

    /// <summary>Whose rights and home apply (the user whose .forward is expanded, or the recipient).</summary>
    public PasswdEntry? UserAttributes { get; init; }

    /// <summary>"\user": deliver to the user's mailbox, bypassing aliases and .forward.</summary>
    public bool MailboxOnly { get; init; }

    /// <summary>True when delivering to an owner- list (DSN ENVID/RET are not propagated).</summary>
    public bool IsList { get; init; }

    // Set by DeliverRecipient for the current address.
    public string Local { get; init; } = "";
    public string User { get; init; } = "";
    public string? Extension { get; init; }
    public char? DelimiterUsed { get; init; }
    public string? Domain { get; init; }

    public ExpansionState Deeper() => this with { Level = Level + 1 };
}

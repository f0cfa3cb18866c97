namespace Mta.Delivery.Local;

/// <summary>What mail_copy(3) adds while it copies a message out of the queue (MAIL_COPY_* flags).</summary>
[Flags]
public enum MailCopyOptions
{
    None = 0,
    /// <summary>Prepend "&gt;" to body lines that start with "From ".</summary>
    QuoteFrom = 1,
    /// <summary>The destination is a regular file: fsync it, and truncate it back on failure.</summary>
    ToFile = 2,
    /// <summary>Prepend a UNIX "From sender  date" line.</summary>
    FromLine = 4,
    /// <summary>Prepend Delivered-To:.</summary>
    DeliveredTo = 8,
    /// <summary>Prepend Return-Path: &lt;sender&gt;.</summary>
    ReturnPath = 16,
    /// <summary>Prepend X-Original-To: (when the original recipient is known).</summary>
    OriginalRecipient = 32,
    /// <summary>Append an empty line, so the next From_ line can be found.</summary>
    BlankLine = 64,

    /// <summary>Everything mailbox (mbox) delivery uses.</summary>
    Mbox = QuoteFrom | ToFile | FromLine | DeliveredTo | ReturnPath | OriginalRecipient | BlankLine,
    /// <summary>What maildir delivery uses.</summary>
    Maildir = ToFile | DeliveredTo | ReturnPath | OriginalRecipient,
    /// <summary>What delivery to a command uses (Delivered-To: only when prepend_delivered_header has "command").</summary>
    Command = FromLine | ReturnPath | OriginalRecipient,
}

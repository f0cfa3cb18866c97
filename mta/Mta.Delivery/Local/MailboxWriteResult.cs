namespace Mta.Delivery.Local;

/// <summary>How writing to a mailbox went: success, or a DSN (4.x.x = try again) with mail_copy()/mbox_open()'s text.</summary>
public sealed record MailboxWriteResult(bool Succeeded, string Dsn, string Why)
{
    public static readonly MailboxWriteResult Success = new(true, "2.0.0", "");

    public static MailboxWriteResult Failed(string dsn, string why) => new(false, dsn, why);

    public bool IsTemporary => !Succeeded && Dsn.StartsWith('4');
}

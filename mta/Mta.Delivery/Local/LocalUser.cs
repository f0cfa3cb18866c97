namespace Mta.Delivery.Local;

/// <summary>
/// What local(8) knows about a recipient's user: a passwd entry (with a home for .forward and home_mailbox), or only
/// a listing in local_recipient_maps (pods have no UNIX users), or nothing (unknown user).
/// </summary>
/// <param name="Passwd">The passwd entry, when the user is a UNIX user.</param>
/// <param name="Exists">The user may receive mail in a mailbox.</param>
/// <param name="Home">The home directory home_mailbox is relative to.</param>
/// <param name="Lookup">Set when a table could not answer (delivery is deferred).</param>
public sealed record LocalUser(PasswdEntry? Passwd, bool Exists, string? Home, string? Lookup = null)
{
    public static readonly LocalUser Unknown = new(null, false, null);
}

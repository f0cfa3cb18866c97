using Mta.Config.Tables;

namespace Mta.Delivery.Local;

/// <summary>
/// Finds local users. A UNIX user (getpwnam via unix:passwd.byname) has its passwd home. In pods there are no UNIX
/// users, so the simplest rule that keeps Postfix's behaviour on a host: a name that is not a UNIX user but is
/// listed (as user@domain or user) in a non-unix: table of local_recipient_maps is a mailbox user whose home is
/// $mail_spool_directory/user; everyone else is unknown ("unknown user: ...", 5.1.1).
/// </summary>
public sealed class LocalUserDirectory(ILookupTable passwd, IReadOnlyList<ILookupTable> recipientMaps, string spoolDirectory)
{
    public async ValueTask<LocalUser> FindAsync(string user, string address, CancellationToken ct)
    {
        try
        {
            if (PasswdEntry.Parse(await passwd.LookupAsync(user, ct)) is { } pw)
                return new LocalUser(pw, true, pw.Home);
            foreach (var table in recipientMaps)
            {
                var bareAddress = address.Contains('@') ? user + address[address.LastIndexOf('@')..] : user;
                if (await table.LookupAsync(bareAddress, ct) is not null || await table.LookupAsync(user, ct) is not null)
                    return new LocalUser(null, true, Path.Combine(spoolDirectory, user));
            }
            return LocalUser.Unknown;
        }
        catch (TableLookupException e)
        {
            return new LocalUser(null, false, null, e.Message);
        }
    }

    /// <summary>The tables of local_recipient_maps other than unix: ones (those are the passwd lookup itself).</summary>
    public static IReadOnlyList<ILookupTable> OpenRecipientMaps(IReadOnlyList<string> references, Func<string, ILookupTable> open) =>
        references
            .Where(r => !r.StartsWith("unix:", StringComparison.OrdinalIgnoreCase)
                        && !r.StartsWith("proxy:unix:", StringComparison.OrdinalIgnoreCase))
            .Select(open)
            .ToList();
}

using Mta.Config.Lists;

namespace Mta.Smtp.Policy;

/// <summary>
/// Postfix's start-up check that mail relaying is restricted (has_required/fail_required in smtpd_check.c):
/// smtpd_relay_restrictions or smtpd_recipient_restrictions must contain a restriction that can refuse
/// unauthorized destinations, before any "permit", looking into restriction classes.
/// </summary>
public static class RelayGuard
{
    private static readonly string[] Required =
        ["reject_unauth_destination", "defer_unauth_destination", "reject", "defer", "defer_if_permit", "check_relay_domains"];

    /// <summary>The fatal text (without "fatal: ") when neither list restricts relaying, else null.</summary>
    public static string? Check(string relayRestrictions, string recipientRestrictions,
        IReadOnlyDictionary<string, string>? restrictionClasses = null)
    {
        var classes = restrictionClasses ?? new Dictionary<string, string>();
        if (HasRequired(ConfigList.Split(recipientRestrictions), classes, 0)
            || HasRequired(ConfigList.Split(relayRestrictions), classes, 0))
            return null;
        return "in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, specify at least one working instance of: "
               + string.Join(", ", Required[..^1]) + " or " + Required[^1];
    }

    private static bool HasRequired(IReadOnlyList<string> restrictions, IReadOnlyDictionary<string, string> classes, int depth)
    {
        for (var i = 0; i < restrictions.Count; i++)
        {
            var r = restrictions[i];
            if (r.Equals("warn_if_reject", StringComparison.OrdinalIgnoreCase) && i + 1 < restrictions.Count)
            {
                i++;
                continue;
            }
            if (r.Equals("permit", StringComparison.OrdinalIgnoreCase))
                return false;
            if (Required.Any(q => q.Equals(r, StringComparison.OrdinalIgnoreCase)))
                return true;
            var cls = classes.FirstOrDefault(c => c.Key.Equals(r, StringComparison.OrdinalIgnoreCase));
            if (cls.Key is not null && depth < 100 && HasRequired(ConfigList.Split(cls.Value), classes, depth + 1))
                return true;
        }
        return false;
    }
}

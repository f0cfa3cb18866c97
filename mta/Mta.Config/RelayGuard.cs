using Mta.Config.Lists;

namespace Mta.Config;

/// <summary>
/// Postfix's start-up check that mail relaying is restricted (has_required/fail_required in smtpd_check.c):
/// smtpd_relay_restrictions or smtpd_recipient_restrictions must contain a restriction that can refuse
/// unauthorized destinations, before any "permit", looking into restriction classes. `postfix check` and
/// smtpd's policy both ask here.
/// </summary>
public static class RelayGuard
{
    private static readonly string[] Required =
        ["reject_unauth_destination", "defer_unauth_destination", "reject", "defer", "defer_if_permit", "check_relay_domains"];

    /// <summary>Classes deeper than this are not followed (a class that names itself would never end).</summary>
    private const int MaxClassDepth = 100;

    /// <summary>The fatal text (without "fatal: ") when neither list restricts relaying, else null.</summary>
    public static string? Check(string relayRestrictions, string recipientRestrictions,
        IReadOnlyDictionary<string, string>? restrictionClasses = null)
    {
        var classes = restrictionClasses ?? new Dictionary<string, string>();
        return Check(relayRestrictions, recipientRestrictions,
            name => classes.FirstOrDefault(c => c.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value);
    }

    /// <param name="restrictionClass">A restriction class's list by name, or null when the name is no class.</param>
    /// <param name="warnings">Receives Postfix's "restriction `x' after `permit' is ignored".</param>
    public static string? Check(string relayRestrictions, string recipientRestrictions,
        Func<string, string?> restrictionClass, ICollection<string>? warnings = null)
    {
        if (HasRequired(ConfigList.Split(recipientRestrictions), restrictionClass, warnings, 0)
            || HasRequired(ConfigList.Split(relayRestrictions), restrictionClass, warnings, 0))
            return null;
        return "in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, specify at least one working instance of: "
               + string.Join(", ", Required[..^1]) + " or " + Required[^1];
    }

    private static bool HasRequired(IReadOnlyList<string> restrictions, Func<string, string?> restrictionClass,
        ICollection<string>? warnings, int depth)
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
            {
                var warning = i + 1 < restrictions.Count ? $"restriction `{restrictions[i + 1]}' after `{r}' is ignored" : null;
                if (warning is not null && warnings is not null && !warnings.Contains(warning))
                    warnings.Add(warning);
                return false;
            }
            if (Required.Any(q => q.Equals(r, StringComparison.OrdinalIgnoreCase)))
                return true;
            if (depth < MaxClassDepth && restrictionClass(r) is { } list
                && HasRequired(ConfigList.Split(list), restrictionClass, warnings, depth + 1))
                return true;
        }
        return false;
    }
}

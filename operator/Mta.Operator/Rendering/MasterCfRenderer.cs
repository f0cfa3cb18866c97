using System.Text;
using Mta.Operator.Api;

namespace Mta.Operator.Rendering;

/// <summary>
/// One master.cf per tier, listing only that tier's services, so every pod runs the same
/// `mta postfix -c /etc/mta start-fg` and becomes what its master.cf says.
/// </summary>
public static class MasterCfRenderer
{
    private const string Header =
        "# service type  private unpriv  chroot  wakeup  maxproc command + args\n";

    public static string Render(MailServer ms, Tier tier)
    {
        var entries = tier switch
        {
            Tier.Smtpd => SmtpdEntries(ms.Spec),
            Tier.Qmgr => [Entry("qmgr", "unix", "n", "-", "n", "300", "1", "qmgr")],
            Tier.Delivery => DeliveryEntries(),
            _ => throw new ArgumentOutOfRangeException(nameof(tier)),
        };

        var overrides = tier switch
        {
            Tier.Smtpd => ms.Spec.MasterCf?.Smtpd,
            Tier.Qmgr => ms.Spec.MasterCf?.Qmgr,
            _ => ms.Spec.MasterCf?.Delivery,
        };
        // main.cf sends the log to /dev/stdout through maillog_file, which needs the postlog service
        // (Postfix: "missing 'postlog' service in master.cf"); Mta writes the lines in-process.
        entries.Add(Entry("postlog", "unix-dgram", "n", "-", "n", "-", "1", "postlogd"));
        foreach (var entry in SplitEntries(overrides))
        {
            var index = entries.FindIndex(e => e.Key == entry.Key);
            if (index >= 0)
                entries[index] = entry;
            else
                entries.Add(entry);
        }

        var text = new StringBuilder();
        text.Append("# Rendered by mta-operator: the ").Append(tier.Name()).Append(" tier of MailServer ")
            .Append(ms.Metadata.NamespaceProperty).Append('/').Append(ms.Metadata.Name).Append(".\n")
            .Append(Header);
        foreach (var entry in entries)
            text.Append(entry.Text);
        return text.ToString();
    }

    private static List<MasterEntry> SmtpdEntries(MailServerSpec spec)
    {
        var ports = spec.Smtpd.Service.Ports;
        var entries = new List<MasterEntry>
        {
            Entry(Layout.SmtpContainerPort.ToString(), "inet", "n", "-", "n", "-", "-", "smtpd"),
        };
        if (ports.Submission is not null)
        {
            entries.Add(Entry(Layout.SubmissionContainerPort.ToString(), "inet", "n", "-", "n", "-", "-", "smtpd",
                "syslog_name=postfix/submission",
                "smtpd_tls_security_level=encrypt",
                "smtpd_sasl_auth_enable=yes",
                "smtpd_client_restrictions=permit_sasl_authenticated,reject",
                "smtpd_relay_restrictions=permit_sasl_authenticated,reject"));
        }

        if (ports.Submissions is not null)
        {
            entries.Add(Entry(Layout.SubmissionsContainerPort.ToString(), "inet", "n", "-", "n", "-", "-", "smtpd",
                "syslog_name=postfix/submissions",
                "smtpd_tls_wrappermode=yes",
                "smtpd_sasl_auth_enable=yes",
                "smtpd_client_restrictions=permit_sasl_authenticated,reject",
                "smtpd_relay_restrictions=permit_sasl_authenticated,reject"));
        }

        return entries;
    }

    // The scheduler runs beside the agents it feeds: each delivery pod leases queue shards and delivers what it
    // claims, so a killed pod's work is taken over by its peers under the lease rules, with no job hand-off between
    // pods that could be lost. The qmgr tier's own process exports the fleet's queue gauges.
    private static List<MasterEntry> DeliveryEntries() =>
    [
        Entry("qmgr", "unix", "n", "-", "n", "300", "1", "qmgr"),
        Entry("smtp", "unix", "-", "-", "n", "-", "-", "smtp"),
        Entry("relay", "unix", "-", "-", "n", "-", "-", "smtp", "syslog_name=postfix/$service_name"),
        Entry("local", "unix", "-", "n", "n", "-", "-", "local"),
        Entry("virtual", "unix", "-", "n", "n", "-", "-", "virtual"),
        Entry("lmtp", "unix", "-", "-", "n", "-", "-", "lmtp"),
        Entry("discard", "unix", "-", "-", "n", "-", "-", "discard"),
        Entry("error", "unix", "-", "-", "n", "-", "-", "error"),
        Entry("retry", "unix", "-", "-", "n", "-", "-", "error"),
    ];

    private static MasterEntry Entry(string service, string type, string @private, string unpriv, string chroot,
        string wakeup, string maxproc, string command, params string[] options)
    {
        var line = new StringBuilder();
        line.Append($"{service,-9} {type,-5} {@private,-7} {unpriv,-7} {chroot,-7} {wakeup,-7} {maxproc,-7} {command}\n");
        foreach (var option in options)
            line.Append("  -o ").Append(option).Append('\n');
        return new MasterEntry($"{service}/{type}", line.ToString());
    }

    /// <summary>Splits user text into entries: a line starting in column one begins one, indented lines continue it.</summary>
    private static IEnumerable<MasterEntry> SplitEntries(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            yield break;

        StringBuilder? current = null;
        string? key = null;
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var isContinuation = raw.Length > 0 && char.IsWhiteSpace(raw[0]);
            if (raw.TrimStart().StartsWith('#') || raw.Trim().Length == 0)
                continue;
            if (isContinuation && current is not null)
            {
                current.Append(raw).Append('\n');
                continue;
            }

            if (current is not null)
                yield return new MasterEntry(key!, current.ToString());
            var fields = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            key = fields.Length >= 2 ? $"{fields[0]}/{fields[1]}" : raw.Trim();
            current = new StringBuilder().Append(raw.Trim()).Append('\n');
        }

        if (current is not null)
            yield return new MasterEntry(key!, current.ToString());
    }

    private sealed record MasterEntry(string Key, string Text);
}

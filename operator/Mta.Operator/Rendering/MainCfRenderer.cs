using System.Text;
using Mta.Operator.Api;

namespace Mta.Operator.Rendering;

/// <summary>
/// Writes the one main.cf all tiers share: what the spec says in Postfix's parameter names, then the user's
/// overrides (parameters replace a rendered line of the same name, text is appended so a later setting wins).
/// </summary>
public static class MainCfRenderer
{
    public static string Render(MailServer ms)
    {
        var spec = ms.Spec;
        var settings = new List<KeyValuePair<string, string>>();
        void Set(string name, string value) => settings.Add(new(name, value));

        Set("compatibility_level", spec.CompatibilityLevel);
        Set("myhostname", spec.Hostname ?? $"mail.{spec.Domain}");
        Set("mydomain", spec.Domain);
        Set("myorigin", "$mydomain");
        Set("mydestination", spec.Destinations is { Count: > 0 } d
            ? string.Join(", ", d)
            : "$myhostname, localhost.$mydomain, localhost, $mydomain");
        if (spec.Mynetworks is { Count: > 0 } networks)
            Set("mynetworks", string.Join(", ", networks));
        if (!string.IsNullOrEmpty(spec.Relayhost))
            Set("relayhost", spec.Relayhost);
        if (spec.RelayDomains is { Count: > 0 } relayDomains)
            Set("relay_domains", string.Join(", ", relayDomains));

        // The queue lives in Redis; the spool and data directories only hold per-pod scratch files.
        Set("queue_backend", "redis");
        Set("redis_url", RedisUrl(ms));
        Set("queue_directory", Layout.QueueDirectory);
        Set("data_directory", Layout.DataDirectory);
        Set("maillog_file", "/dev/stdout");

        // texthash: read as text at start-up; a read-only pod cannot build the .db that hash: needs.
        var aliasesPath = AliasesPath(spec);
        if (aliasesPath is not null)
            Set("alias_maps", $"texthash:{aliasesPath}");

        if (spec.MailboxStorage is not null)
            Set("mail_spool_directory", Layout.MailDirectory);

        if (spec.Tls is not null)
        {
            Set("smtpd_tls_cert_file", $"{Layout.TlsDirectory}/tls.crt");
            Set("smtpd_tls_key_file", $"{Layout.TlsDirectory}/tls.key");
            Set("smtpd_tls_security_level", "may");
            Set("smtpd_tls_received_header", "yes");
        }

        Set("smtp_tls_security_level", "may");

        if (spec.Sasl is not null)
        {
            // SASL is switched on per submission service in master.cf; this says where the users file is.
            Set("smtpd_sasl_path", $"{Layout.SaslDirectory}/{spec.Sasl.Key}");
            Set("smtpd_sasl_security_options", "noanonymous");
            Set("smtpd_tls_auth_only", "yes");
        }

        if (spec.Smtpd.Service.ProxyProtocol)
            Set("smtpd_upstream_proxy_protocol", "haproxy");

        if (spec.MainCf?.Parameters is { } overrides)
        {
            foreach (var (name, value) in overrides.OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                var index = settings.FindIndex(s => s.Key == name);
                if (index >= 0)
                    settings[index] = new(name, value);
                else
                    settings.Add(new(name, value));
            }
        }

        var text = new StringBuilder();
        text.Append("# Rendered by mta-operator for MailServer ")
            .Append(ms.Metadata.NamespaceProperty).Append('/').Append(ms.Metadata.Name)
            .Append(". Edit the MailServer, not this file.\n");
        foreach (var (name, value) in settings)
            text.Append(name).Append(" = ").Append(value).Append('\n');

        if (!string.IsNullOrEmpty(spec.MainCf?.Text))
        {
            text.Append("# spec.mainCf.text\n").Append(spec.MainCf.Text);
            if (!spec.MainCf.Text.EndsWith('\n'))
                text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>redis_url: the external URL as given (password comes from MTA_REDIS_PASSWORD), or the managed Service.</summary>
    public static string RedisUrl(MailServer ms) => ms.Spec.Redis.External is { } external
        ? external.Url
        : $"redis://{ms.Metadata.Name}-redis:{Layout.RedisPort}/0";

    /// <summary>Where the aliases file is mounted, or null when the spec has no aliases.</summary>
    public static string? AliasesPath(MailServerSpec spec) => spec.Aliases switch
    {
        { ConfigMapRef: not null } => $"{Layout.ExternalAliasesDirectory}/aliases",
        { Entries.Count: > 0 } => $"{Layout.ConfigDirectory}/aliases",
        _ => null,
    };
}

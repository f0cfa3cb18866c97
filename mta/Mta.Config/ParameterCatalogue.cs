using System.Collections.Frozen;
using System.Reflection;

namespace Mta.Config;

/// <summary>
/// The defaults table, written once (Postfix's mail_params.h): one typed descriptor per main.cf parameter
/// Mta recognises, as a static field with a C# name (smtpd_timeout is <see cref="SmtpdTimeout"/>).
/// </summary>
/// <remarks>
/// The default texts are exactly what Postfix 3.11's <c>postconf -d</c> prints (a from-source build of
/// v3.11.4 with TLS and EAI, run with an empty master.cf), except <c>default_database_type = hash</c> and
/// <c>default_cache_db_type = btree</c> (what Postfix picks on a Linux build with Berkeley DB). The types and
/// bounds come from the CONFIG_*_TABLE initialisers in Postfix's daemons (what postconf's extract.awk reads).
/// Parameters whose default depends on the host (myhostname, mydomain, mynetworks, process_id,
/// process_name) are computed by <see cref="HostDefaults"/>. Per-transport parameters derived from master.cf
/// service names come from <see cref="ServiceParameters"/>.
/// Being in this table means "recognised": postconf prints it and main.cf may set it without a warning.
/// Each role binds and implements its own subset.
/// </remarks>
public static partial class ParameterCatalogue
{
    /// <summary>Where the queue lives: <c>file</c> (queue_directory on disk) or <c>redis</c> (redis_url). Mta's own.</summary>
    public static readonly StringParameter QueueBackend = new("queue_backend", "file");

    /// <summary>The Redis queue and table store, e.g. <c>redis://redis:6379/0</c>. Mta's own.</summary>
    public static readonly StringParameter RedisUrl = new("redis_url", "");

    // Host-derived defaults: the text is what `postconf -d` prints on this host with an empty main.cf.
    public static readonly StringParameter MyHostname = new("myhostname", HostDefaults.MyHostname(configuredMyDomain: null));
    public static readonly StringParameter MyDomain = new("mydomain", HostDefaults.MyDomain(HostDefaults.MyHostname(configuredMyDomain: null)));
    public static readonly ListParameter MyNetworks = new("mynetworks", HostDefaults.MyNetworks("subnet"));
    public static readonly IntParameter ProcessId = new("process_id", HostDefaults.ProcessId());
    public static readonly StringParameter ProcessName = new("process_name", HostDefaults.ProcessName);

    /// <summary>Every recognised parameter, sorted by name.</summary>
    public static IReadOnlyList<Parameter> All => Index.All;

    /// <summary>The built-in parameter called <paramref name="name"/>, or null (service-derived names are not built in).</summary>
    public static Parameter? Find(string name) => Index.ByName.GetValueOrDefault(name);

    /// <summary>
    /// Raw parameters are never $-expanded by Postfix itself (their daemon expands its own $names, e.g.
    /// mailbox_command's $recipient): postconf -x prints them as written.
    /// </summary>
    public static bool IsRaw(string name) => RawNames.Contains(name);

    private static readonly FrozenSet<string> RawNames = new[]
    {
        "command_execution_directory", "debugger_command", "default_rbl_reply", "forward_path", "luser_relay",
        "mailbox_command", "postscreen_expansion_filter", "postscreen_reject_footer", "smtpd_expansion_filter",
        "smtpd_reject_footer",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Obsolete names that some defaults still reference for backwards compatibility (e.g.
    /// virtual_alias_maps = $virtual_maps): recognised, empty by default, and not listed in <see cref="All"/>
    /// (postconf's legacy table).
    /// </summary>
    public static readonly IReadOnlySet<string> LegacyNames = new[]
    {
        "virtual_maps", "fallback_relay", "authorized_verp_clients", "smtpd_client_connection_limit_exceptions",
        "postscreen_dnsbl_ttl", "postscreen_blacklist_action", "postscreen_dnsbl_whitelist_threshold",
        "postscreen_whitelist_interfaces", "lmtp_per_record_deadline", "smtp_per_record_deadline",
        "smtpd_per_record_deadline", "tlsproxy_client_level", "tlsproxy_client_policy",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Names whose default is computed from the host or the running process, not written here.</summary>
    public static bool IsHostDerived(string name) =>
        name is "myhostname" or "mydomain" or "mynetworks" or "process_id" or "process_name";

    // A nested class so that its initialiser runs after every field of every partial file is set.
    private static class Index
    {
        public static readonly IReadOnlyList<Parameter> All = typeof(ParameterCatalogue)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => typeof(Parameter).IsAssignableFrom(f.FieldType))
            .Select(f => (Parameter)f.GetValue(null)!)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToArray();

        public static readonly FrozenDictionary<string, Parameter> ByName =
            All.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
    }
}

namespace Mta.Tests;

/// <summary>
/// `mta postconf` against Debian's real postconf (Postfix 3.7) over the same configuration directory:
/// byte-identical stdout and stderr, except where Mta's Postfix 3.11 defaults differ from 3.7's on purpose.
/// Each such difference is listed below with its reason.
/// </summary>
public sealed class PostconfDifferentialTests(PostconfFixture fixture) : IClassFixture<PostconfFixture>
{
    private const string OurVersion = "3.11.4";

    /// <summary>Default texts that differ on purpose between Debian's Postfix 3.7 and Mta (Postfix 3.11).</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultDifferences = new Dictionary<string, string>
    {
        ["mail_version"] = "Mta implements Postfix 3.11's defaults; Debian ships 3.7.11",
        ["mail_release_date"] = "the release date of that 3.11 version",
        ["daemon_directory"] = "compile-time path: Debian uses /usr/lib/postfix/sbin, upstream /usr/libexec/postfix",
        ["html_directory"] = "compile-time path: Debian installs documentation, upstream default is no",
        ["manpage_directory"] = "compile-time path: Debian /usr/share/man, upstream /usr/local/man",
        ["readme_directory"] = "compile-time path: Debian installs README files, upstream default is no",
        ["shlib_directory"] = "compile-time path: Debian builds shared libraries, upstream default is no",
        ["alias_maps"] = "3.11 writes $default_database_type:/etc/aliases; Debian's build also adds nis:mail.aliases",
        ["alias_database"] = "3.11 writes $default_database_type:/etc/aliases instead of hash:/etc/aliases",
        ["address_verify_map"] = "3.11 uses $default_cache_db_type instead of a literal btree",
        ["postscreen_cache_map"] = "3.11 uses $default_cache_db_type instead of a literal btree",
        ["import_environment"] = "3.11 adds XDG_RUNTIME_DIR",
        ["milter_default_action"] = "3.11 changed the default from tempfail to shutdown",
        ["proxy_read_maps"] = "3.11 lists more tables (reject filter, restriction and access lists)",
        ["service_name"] = "3.11 shows its built-in placeholder amnesiac",
        ["smtp_tls_dane_insecure_mx_policy"] = "3.11 changed the default to dane",
        ["smtp_tls_security_level"] = "3.11: may from compatibility level 3.11 on (the same empty value below it)",
        ["smtpd_forbid_bare_newline"] = "3.11 normalizes bare newlines by default (3.7: no)",
        ["smtpd_forbid_unauth_pipelining"] = "3.9 turned this on by default",
        ["tls_eecdh_auto_curves"] = "3.11 prefers secp384r1 over secp521r1",
        ["tls_export_cipherlist"] = "3.11 emptied the obsolete export grade",
        ["tls_low_cipherlist"] = "3.11 emptied the obsolete low grade",
        ["tls_high_cipherlist"] = "3.11 excludes weak algorithms explicitly",
        ["tls_medium_cipherlist"] = "3.11 excludes weak algorithms explicitly",
        ["tls_null_cipherlist"] = "3.11 excludes weak algorithms explicitly",
        ["tlsproxy_client_policy_maps"] = "3.11 rewrote the legacy fallback with the ?{}:{} form",
        ["tlsproxy_client_security_level"] = "3.11 rewrote the legacy fallback with the ?{}:{} form",
        ["process_id"] = "the process id of whichever postconf runs",
    };

    /// <summary>Parameters whose EXPANDED value in this fixture differs, with the value Mta must print.</summary>
    private static readonly IReadOnlyDictionary<string, string> ExpandedDifferences = new Dictionary<string, string>
    {
        ["mail_version"] = OurVersion,
        ["smtpd_banner"] = $"mx1.example.com ESMTP Postfix ({OurVersion}) $literal", // references ${mail_version}
        ["daemon_directory"] = "/usr/libexec/postfix",
        ["smtpd_forbid_unauth_pipelining"] = "yes",
        ["smtpd_forbid_bare_newline"] = "normalize",
    };

    // Defaults that depend on compatibility_level, the stress flag, host facts and service names, and the
    // fixture's own user-defined, service-defined and restriction-class parameters.
    private static readonly string[] ExpandedNames =
    [
        "compatibility_level", "myhostname", "mydomain", "myorigin", "mydestination", "mynetworks", "mynetworks_style",
        "relay_domains", "relayhost", "smtpd_banner", "smtpd_helo_required", "disable_vrfy_command",
        "smtpd_relay_restrictions", "smtpd_recipient_restrictions", "smtpd_client_restrictions", "smtpd_helo_restrictions",
        "append_dot_mydomain", "smtputf8_enable", "smtpd_tls_fingerprint_digest", "smtp_tls_fingerprint_digest",
        "lmtp_tls_fingerprint_digest", "smtpd_relay_before_recipient_restrictions", "respectful_logging",
        "smtp_tls_security_level", "lmtp_tls_security_level", "smtpd_tls_security_level", "smtpd_tls_key_file",
        "message_size_limit", "mailbox_size_limit", "virtual_mailbox_limit", "header_size_limit", "line_length_limit",
        "smtpd_timeout", "smtpd_hard_error_limit", "smtpd_soft_error_limit", "smtpd_junk_command_limit",
        "smtpd_starttls_timeout", "smtpd_recipient_limit", "smtpd_client_connection_count_limit", "anvil_rate_time_unit",
        "maximal_queue_lifetime", "bounce_queue_lifetime", "delay_warning_time", "minimal_backoff_time",
        "maximal_backoff_time", "queue_run_delay", "qmgr_message_active_limit", "default_destination_concurrency_limit",
        "relay_destination_concurrency_limit", "smtp_destination_concurrency_limit", "local_destination_concurrency_limit",
        "local_destination_recipient_limit", "slow_destination_concurrency_limit", "slow_destination_rate_delay",
        "slow_destination_recipient_limit", "slow_initial_destination_concurrency", "maildrop_time_limit",
        "uucp_destination_recipient_limit", "spawnit_time_limit", "relay_recipient_limit", "retry_transport_rate_delay",
        "virtual_alias_maps", "virtual_alias_domains", "virtual_mailbox_maps", "alias_maps", "alias_database",
        "local_recipient_maps", "transport_maps", "notify_classes", "bounce_notice_recipient", "double_bounce_sender",
        "2bounce_notice_recipient", "delay_notice_recipient", "syslog_name", "maillog_file", "smtpd_sasl_auth_enable",
        "smtpd_sasl_type", "smtpd_sasl_path", "smtpd_reject_footer", "site_tag", "restrictive", "proxy_interfaces",
        "inet_interfaces", "mail_name", "mail_version", "config_directory", "queue_directory", "data_directory",
        "command_directory", "daemon_directory", "recipient_delimiter", "home_mailbox", "mailbox_command",
        "smtpd_forbid_unauth_pipelining", "smtpd_forbid_bare_newline", "unknown_local_recipient_reject_code",
        "smtpd_delay_reject", "default_process_limit", "ipc_timeout", "hopcount_limit", "smtpd_client_port_logging",
        "smtpd_forbidden_commands", "default_database_type", "canonical_maps", "masquerade_domains", "swap_bangpath",
        "allow_percent_hack", "resolve_dequoted_address", "empty_address_recipient", "owner_request_special",
        "sender_canonical_maps", "smtp_helo_name", "smtp_connect_timeout", "lmtp_lhlo_name",
        "smtpd_authorized_verp_clients", "not_a_parameter_at_all",
    ];

    private string[] WithConfig(params string[] args) => ["-c", fixture.Directory, .. args];

    [Theory]
    [InlineData("-n")]
    [InlineData("-M")]
    [InlineData("-Mf")]
    [InlineData("-Mx")]
    [InlineData("-F")]
    [InlineData("-Ff")]
    [InlineData("-F", "submission/inet/command", "slow/unix/*", "nosuch/unix")]
    [InlineData("-P")]
    [InlineData("-Px")]
    [InlineData("-PH")]
    [InlineData("-P", "submission/inet/smtpd_tls_security_level", "*/*/syslog_name")]
    [InlineData("-M", "submission", "*/unix", "nosuch")]
    [InlineData("-nH")]
    [InlineData("-h", "relay_destination_concurrency_limit", "site_tag", "bogus")]
    [InlineData("-o", "relayhost=[other.example]", "-n")]
    [InlineData("-xh", "relay_note", "slow_destination_rate_delay")]
    public void PrintsWhatRealPostconfPrints(params string[] args)
    {
        var real = ProcessRunner.Postfix(WithConfig(args));
        var ours = ProcessRunner.Mta(["postconf", .. WithConfig(args)]);
        Assert.Equal(real.Stdout, ours.Stdout);
        AssertSameWarnings(real.Stderr, ours.Stderr);
        Assert.Equal(real.ExitCode, ours.ExitCode);
    }

    [Fact]
    public void ExpandedValuesMatchExceptListedDifferences()
    {
        var real = ProcessRunner.Postfix(WithConfig(["-x", .. ExpandedNames]));
        var ours = ProcessRunner.Mta(["postconf", .. WithConfig(["-x", .. ExpandedNames])]);
        AssertSameWarnings(real.Stderr, ours.Stderr);
        AssertSameExcept(real.Stdout, ours.Stdout, ExpandedDifferences);
    }

    [Fact]
    public void NonDefaultExpandedValuesMatchExceptListedDifferences()
    {
        var real = ProcessRunner.Postfix(WithConfig("-nx"));
        var ours = ProcessRunner.Mta(["postconf", .. WithConfig("-nx")]);
        AssertSameWarnings(real.Stderr, ours.Stderr);
        AssertSameExcept(real.Stdout, ours.Stdout, ExpandedDifferences);
    }

    [Fact]
    public void EveryDefaultBothKnowIsDebiansTextExceptListedDifferences()
    {
        var real = Parse(ProcessRunner.Postfix(WithConfig("-d")).Stdout);
        var ours = Parse(ProcessRunner.Mta(["postconf", .. WithConfig("-d")]).Stdout);
        var shared = real.Keys.Intersect(ours.Keys).ToList();
        Assert.True(shared.Count > 800, $"only {shared.Count} parameters in common");
        var unexpected = shared.Where(n => real[n] != ours[n] && !DefaultDifferences.ContainsKey(n))
            .Select(n => $"{n}: postfix '{real[n]}' mta '{ours[n]}'").ToList();
        Assert.Empty(unexpected);
        var stale = DefaultDifferences.Keys.Where(n => real.ContainsKey(n) && ours.ContainsKey(n) && real[n] == ours[n] && n != "process_id");
        Assert.Empty(stale);
    }

    [Fact]
    public void ServiceDefinedParametersAreTheOnesPostfixDerives()
    {
        static IEnumerable<string> ServiceNames(string output) => Parse(output).Keys
            .Where(n => n.StartsWith("slow_") || n.StartsWith("maildrop_") || n.StartsWith("uucp_") || n.StartsWith("spawnit_"));
        var real = ServiceNames(ProcessRunner.Postfix(WithConfig("-d")).Stdout).Order().ToList();
        var ours = ServiceNames(ProcessRunner.Mta(["postconf", .. WithConfig("-d")]).Stdout).Order().ToList();
        Assert.Equal(real, ours);
        Assert.Contains("spawnit_time_limit", ours);
        Assert.Contains("slow_destination_concurrency_failed_cohort_limit", ours);
    }

    // Debian's 3.7 walks its hash tables in a per-process random order when it warns (3.11 and Mta sort the
    // unused-parameter warnings by name). So the same lines must appear, in any order.
    private static void AssertSameWarnings(string real, string ours) =>
        Assert.Equal(Lines(real), Lines(ours));

    private static string Lines(string text) =>
        string.Join("\n", text.Split('\n').Order(StringComparer.Ordinal));

    private static void AssertSameExcept(string real, string ours, IReadOnlyDictionary<string, string> expectedOurs)
    {
        var realLines = real.Split('\n');
        var ourLines = ours.Split('\n');
        Assert.Equal(realLines.Length, ourLines.Length);
        for (var i = 0; i < realLines.Length; i++)
        {
            var name = realLines[i].Split(" =")[0];
            if (expectedOurs.TryGetValue(name, out var value))
                Assert.Equal($"{name} = {value}", ourLines[i]);
            else
                Assert.Equal(realLines[i], ourLines[i]);
        }
    }

    private static Dictionary<string, string> Parse(string output)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = line.IndexOf(" =", StringComparison.Ordinal);
            result[line[..at]] = line[(at + 2)..].TrimStart();
        }
        return result;
    }
}

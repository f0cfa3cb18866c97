using Mta.Config.MainCf;

namespace Mta.Config.Tests;

/// <summary>A realistic main.cf read by us and by the real postconf: raw (-n) and expanded (-nx) values agree.</summary>
public class RealisticMainCfTests
{
    // Every $reference points at a name set in this file, so expansion needs no built-in defaults.
    private const string MainCf = """
        # Realistic main.cf: comments, continuations, duplicates, conditionals, lists and file references.
        compatibility_level = 3.6
        myhostname = mx1.example.com
        mydomain = example.com
        myorigin = $mydomain
        mydestination = $myhostname, localhost.$mydomain,
            localhost, ${mydomain}
        mynetworks = 127.0.0.0/8 [::1]/128
            /etc/postfix/extra_networks
        relayhost = [smtp.relay.example]:587
        inet_interfaces = all
        inet_protocols = ipv4
        smtpd_banner = $myhostname ESMTP ${mail_name?{$mail_name}:{Mta}}
        mail_name = Postfix
        biff = no
        append_dot_mydomain = ${{$compatibility_level} <level {1} ? {yes} : {no}}
        readme_directory = no
        recipient_delimiter = +
        mailbox_size_limit = 0
        message_size_limit = 20480000
        alias_maps = hash:/etc/aliases
        alias_database = $alias_maps
        virtual_alias_maps = hash:/etc/postfix/virtual, regexp:/etc/postfix/virtual.re
        transport_maps = hash:/etc/postfix/transport
        smtpd_tls_cert_file = /etc/ssl/certs/mx1.pem
        smtpd_tls_key_file = /etc/ssl/private/mx1.key
        smtpd_tls_security_level = may
        smtp_tls_security_level = ${{$compatibility_level} <level {3.11} ? {may} : {dane}}
        smtp_tls_loglevel = 1
        smtpd_tls_loglevel = $smtp_tls_loglevel
        smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated,
            defer_unauth_destination
        smtpd_recipient_restrictions =
            permit_mynetworks
            reject_unauth_destination
            check_recipient_access inline:{ abuse@example.com=OK, { postmaster@example.com = OK } }
        smtpd_helo_required = yes
        smtpd_client_connection_rate_limit = 30
        smtpd_timeout = ${stress?{10}:{300}}s
        stress =
        maximal_queue_lifetime = 3d
        bounce_queue_lifetime = $maximal_queue_lifetime
        delay_warning_time = 4h
        minimal_backoff_time = 300s
        maximal_backoff_time = 4000s
        queue_run_delay = 300s
        default_destination_concurrency_limit = 20
        relay_destination_concurrency_limit = $default_destination_concurrency_limit
        smtp_destination_concurrency_limit = ${{$default_destination_concurrency_limit} > {10} ? {10} : {$default_destination_concurrency_limit}}
        disable_vrfy_command = yes
        notify_classes = resource, software
        header_checks = regexp:/etc/postfix/header_checks
        smtpd_sasl_auth_enable = no
        # a duplicate: the last value wins
        smtp_tls_loglevel = 2
        debug_peer_level = 2
        default_process_limit = 100
        relay_domains = ${{$compatibility_level} <level {2} ? {$mydestination} : {}}
        """ + "\n";

    [PostconfFact]
    public void RawAndExpandedValuesMatchRealPostconf()
    {
        // postconf knows relay_/smtp_ per-transport names only when master.cf defines those services.
        using var postconf = new RealPostconf(MainCf, "smtp unix - - n - - smtp\nrelay unix - - n - - smtp\n");
        var file = MainCfFile.Parse(MainCf, postconf.MainCfPath);
        Assert.True(file.Entries.Count >= 40);
        var set = new ParameterSet([], file);

        var (raw, rawErrors, rawExit) = postconf.Run("-n");
        Assert.True(rawExit == 0, string.Join("\n", rawErrors));
        var ourRaw = file.Entries.Select(e => Normalize.Words($"{e.Name} = {e.Value}"));
        Assert.Equal(ourRaw.Order(StringComparer.Ordinal), Lines(raw).Where(l => !l.StartsWith("config_directory")));

        var (expanded, _, expandedExit) = postconf.Run("-nx");
        Assert.Equal(0, expandedExit);
        var ourExpanded = file.Entries.Select(e => Normalize.Words($"{e.Name} = {set.Expand(e.Name)}"));
        Assert.Equal(ourExpanded.Order(StringComparer.Ordinal), Lines(expanded).Where(l => !l.StartsWith("config_directory")));
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

namespace Mta.Tests;

/// <summary>
/// A realistic configuration directory for the differential tests: a main.cf with more than 40 settings
/// (nested and conditional expansions, relational operators, lists, /file references, continuation lines,
/// a duplicate, user-defined parameters used and unused) and a master.cf with -o overrides, a { } override,
/// service-defined transports (slow, maildrop, uucp, spawnit) and a pipe argument list. Host-derived values
/// (myhostname, mydomain, mynetworks) are set explicitly so that both postconfs agree on any machine.
/// </summary>
public sealed class PostconfFixture : IDisposable
{
    public const string MainCf = """
# Realistic main.cf for the differential test: identity, relay policy, limits, TLS, SASL, lists.
compatibility_level = 3.6
myhostname = mx1.example.com
mydomain = example.com
myorigin = $mydomain
mydestination = $myhostname, localhost.$mydomain, localhost,
    ${mydomain}, /etc/postfix/local-domains
mynetworks = 127.0.0.0/8 [::1]/128 192.0.2.0/24,
  10.1.0.0/16
inet_interfaces = all
inet_protocols = all
relayhost = [smarthost.example.net]:587
relay_domains = $mydestination, lists.example.com
smtpd_banner = $myhostname ESMTP $mail_name (${mail_version}) $$literal
# A conditional on a set and an unset parameter.
smtpd_helo_required = ${myhostname?{yes}:{no}}
disable_vrfy_command = ${undefined_thing:yes}
biff = no
append_dot_mydomain = no
readme_directory = no
message_size_limit = 52428800
mailbox_size_limit = 0
header_size_limit = 204800
recipient_delimiter = +
home_mailbox = Maildir/
mailbox_command =
alias_maps = hash:/etc/aliases
alias_database = hash:/etc/aliases
virtual_alias_domains = virtual.example.org
virtual_alias_maps = hash:/etc/postfix/virtual, regexp:/etc/postfix/virtual.regexp
transport_maps = hash:/etc/postfix/transport
smtpd_tls_cert_file = /etc/ssl/certs/mx1.pem
smtpd_tls_key_file = $smtpd_tls_cert_file
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtp_tls_security_level = may
smtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt
smtpd_sasl_auth_enable = no
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
smtpd_client_restrictions = permit_mynetworks, reject_unknown_client_hostname
smtpd_helo_restrictions = permit_mynetworks,
	reject_invalid_helo_hostname,
	reject_non_fqdn_helo_hostname
smtpd_sender_restrictions = reject_non_fqdn_sender, reject_unknown_sender_domain
smtpd_recipient_restrictions = permit_mynetworks, permit_sasl_authenticated,
    reject_unauth_destination, check_policy_service unix:private/policy
smtpd_restriction_classes = restrictive
restrictive = reject_unknown_sender_domain, reject
smtpd_client_connection_count_limit = 20
smtpd_client_connection_rate_limit = 60
anvil_rate_time_unit = 60s
maximal_queue_lifetime = 3d
bounce_queue_lifetime = $maximal_queue_lifetime
delay_warning_time = 4h
minimal_backoff_time = 300s
maximal_backoff_time = 4000s
queue_run_delay = 300s
default_destination_concurrency_limit = 10
relay_destination_concurrency_limit = 2
slow_destination_concurrency_limit = 1
slow_destination_rate_delay = 5s
notify_classes = resource, software, bounce
# User-defined parameters: one referenced, one not (unused warning).
site_tag = edge-$mydomain
smtpd_reject_footer = \c. Contact postmaster@$mydomain ($site_tag)
not_referenced_anywhere = 42
# A duplicate: the last one wins.
delay_warning_time = 2h
maillog_file = /dev/stdout
queue_backend_note = ${{$compatibility_level} <level {3.6} ? {old} : {new}}
relay_note = ${{$myhostname} == {mx1.example.com} ? {match} : {nomatch}}
""";

    public const string MasterCf = """
# service type  private unpriv  chroot  wakeup  maxproc command + args
smtp      inet  n       -       y       -       -       smtpd
submission inet n       -       y       -       -       smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o { smtpd_reject_message = Submission requires $site_tag auth }
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o milter_macro_daemon_name=ORIGINATING
  -o submission_only_knob=$mydomain
127.0.0.1:10025 inet n - n - - smtpd
  -o content_filter=
  -o smtpd_recipient_restrictions=permit_mynetworks,reject
pickup    unix  n       -       y       60      1       pickup
cleanup   unix  n       -       y       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       y       -       -       trivial-rewrite
bounce    unix  -       -       y       -       0       bounce
defer     unix  -       -       y       -       0       bounce
smtp      unix  -       -       y       -       -       smtp
relay     unix  -       -       y       -       -       smtp
        -o syslog_name=${multi_instance_name?{$multi_instance_name}:{postfix}}/$service_name
slow      unix  -       -       y       -       4       smtp
  -o smtp_connect_timeout=5s
error     unix  -       -       y       -       -       error
retry     unix  -       -       y       -       -       error
discard   unix  -       -       y       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       y       -       -       lmtp
anvil     unix  -       -       y       -       1       anvil
postlog   unix-dgram n  -       n       -       1       postlogd
maildrop  unix  -       n       n       -       -       pipe
  flags=DRXhu user=vmail argv=/usr/bin/maildrop -d ${recipient}
uucp      unix  -       n       n       -       -       pipe
  flags=Fqhu user=uucp argv=uux -r -n -z -a$sender - $nexthop!rmail ($recipient)
spawnit   unix  -       n       n       -       -       spawn
  user=nobody argv=/usr/bin/true
""";

    public PostconfFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "mta-postconf-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, "main.cf"), MainCf + "\n");
        File.WriteAllText(Path.Combine(Directory, "master.cf"), MasterCf + "\n");
        // Postfix re-reads a file modified within the current second (dict_load_file guards against a
        // concurrent edit) and would repeat its read-time warnings: make the files look settled.
        foreach (var file in System.IO.Directory.GetFiles(Directory))
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-1));
    }

    /// <summary>The configuration directory (pass it as -c).</summary>
    public string Directory { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

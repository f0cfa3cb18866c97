using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Mta.Smtp;

/// <summary>smtpd_forbid_bare_newline values (Postfix 3.9+).</summary>
public enum BareNewlineMode { No, Normalize, Note, Reject }

/// <summary>smtpd_tls_security_level values the server understands.</summary>
public enum TlsSecurityLevel { None, May, Encrypt }

/// <summary>
/// Every parameter one smtpd listener reads, bound once at start and on reload (Postfix's CONFIG_*_TABLE for
/// smtpd). Defaults are Postfix 3.11's at compatibility_level 3.6+. Protocol code reads only this record.
/// </summary>
public sealed record SmtpdSettings
{
    /// <summary>master.cf service name ("smtp", "submission", "submissions").</summary>
    public string ServiceName { get; init; } = "smtp";

    /// <summary>syslog_name + "/smtpd" as logged, e.g. "postfix/smtpd" or "postfix/submission/smtpd".</summary>
    public string ProgramName { get; init; } = "postfix/smtpd";

    public string MyHostname { get; init; } = "localhost";
    public string MailName { get; init; } = "Postfix";

    /// <summary>smtpd_banner, already expanded ($myhostname ESMTP $mail_name).</summary>
    public string? Banner { get; init; }
    public string EffectiveBanner => Banner ?? $"{MyHostname} ESMTP {MailName}";

    /// <summary>message_size_limit in bytes; 0 = no limit.</summary>
    public long MessageSizeLimit { get; init; } = 10_240_000;
    public int LineLengthLimit { get; init; } = 2048;
    public int HeaderSizeLimit { get; init; } = 102_400;
    public int HopcountLimit { get; init; } = 50;
    public int RecipientLimit { get; init; } = 1000;

    public int SoftErrorLimit { get; init; } = 10;
    public int HardErrorLimit { get; init; } = 20;
    public TimeSpan ErrorSleepTime { get; init; } = TimeSpan.FromSeconds(1);
    public int JunkCommandLimit { get; init; } = 100;

    /// <summary>smtpd_timeout: how long to wait for a command or a piece of message content.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(300);
    public TimeSpan StarttlsTimeout { get; init; } = TimeSpan.FromSeconds(300);

    public bool HeloRequired { get; init; }
    public bool DisableVrfyCommand { get; init; }
    public bool ForbidUnauthPipelining { get; init; } = true;
    public BareNewlineMode ForbidBareNewline { get; init; } = BareNewlineMode.Normalize;
    public int ForbidBareNewlineRejectCode { get; init; } = 550;

    /// <summary>smtpd_forbid_bare_newline_exclusions (default $mynetworks), as networks.</summary>
    public IReadOnlyList<IPNetwork> ForbidBareNewlineExclusions { get; init; } = [];

    /// <summary>smtpd_discard_ehlo_keywords, lower case (e.g. "chunking", "dsn", "silent-discard").</summary>
    public IReadOnlySet<string> DiscardEhloKeywords { get; init; } = new HashSet<string>();

    public bool SmtputF8Enable { get; init; } = true;

    public TlsSecurityLevel TlsSecurityLevel { get; init; } = TlsSecurityLevel.None;

    /// <summary>smtpd_tls_wrappermode (submissions, port 465): TLS starts before the greeting.</summary>
    public bool TlsWrapperMode { get; init; }

    /// <summary>Certificate with private key from smtpd_tls_cert_file/smtpd_tls_key_file (see <see cref="LoadCertificate"/>).</summary>
    public X509Certificate2? TlsCertificate { get; init; }

    public bool TlsReceivedHeader { get; init; }

    public bool SaslAuthEnable { get; init; }
    public bool TlsAuthOnly { get; init; }
    public bool BrokenSaslAuthClients { get; init; }
    public int SaslResponseLimit { get; init; } = 12288;

    /// <summary>smtpd_upstream_proxy_protocol = haproxy.</summary>
    public bool UpstreamProxyHaproxy { get; init; }
    public TimeSpan UpstreamProxyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>smtpd_peername_lookup: PTR lookup with forward confirmation for the client name.</summary>
    public bool PeernameLookup { get; init; }

    /// <summary>always_add_missing_headers.</summary>
    public bool AlwaysAddMissingHeaders { get; init; }

    /// <summary>
    /// local_header_rewrite_clients as networks (permit_inet_interfaces = loopback and own addresses):
    /// clients whose mail gets missing Message-ID:, Date: and From: headers.
    /// </summary>
    public IReadOnlyList<IPNetwork> LocalHeaderRewriteClients { get; init; } =
        [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    /// <summary>local_header_rewrite_clients contains permit_sasl_authenticated.</summary>
    public bool LocalHeaderRewriteSaslAuthenticated { get; init; }

    /// <summary>myorigin, used for a From: header added to local submissions with a bare local part.</summary>
    public string MyOrigin { get; init; } = "localhost";

    /// <summary>fast_flush_domains (default $relay_domains): the sites ETRN may flush.</summary>
    public Policy.DomainMatchList FastFlushDomains { get; init; } = Policy.DomainMatchList.Empty("fast_flush_domains");

    /// <summary>Binds the settings from main.cf plus a service's -o overrides (see <see cref="SmtpdSettingsBinder"/>).</summary>
    public static SmtpdSettings From(Mta.Config.ParameterSet parameters, string serviceName = "smtp") =>
        SmtpdSettingsBinder.From(parameters, serviceName);

    public bool IsKeywordDiscarded(string lowerKeyword) => DiscardEhloKeywords.Contains(lowerKeyword);

    /// <summary>TLS may be offered or is required and a certificate is present.</summary>
    public bool TlsEnabled => TlsSecurityLevel != TlsSecurityLevel.None && TlsCertificate is not null;

    /// <summary>Loads smtpd_tls_cert_file/smtpd_tls_key_file (PEM; key defaults to the cert file).</summary>
    public static X509Certificate2 LoadCertificate(string certFile, string? keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certFile, string.IsNullOrEmpty(keyFile) ? certFile : keyFile);
        // Re-import so SslStream on Linux gets a certificate whose key is not ephemeral.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}

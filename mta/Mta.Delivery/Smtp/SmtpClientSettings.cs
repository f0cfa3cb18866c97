using System.Net.Sockets;

namespace Mta.Delivery.Smtp;

/// <summary>
/// What smtp(8)/lmtp(8) read from main.cf (plus the service's -o overrides), bound once at start by
/// <see cref="SmtpClientSettingsBinder"/>. Protocol code only ever reads these typed fields.
/// </summary>
public sealed record SmtpClientSettings
{
    /// <summary>LMTP (LHLO, a reply per recipient after DATA, no MX lookups) instead of SMTP.</summary>
    public required bool Lmtp { get; init; }

    /// <summary>"SMTP" or "LMTP", for "non-ESMTP response" style texts.</summary>
    public string ProtocolName => Lmtp ? "LMTP" : "SMTP";

    public required TimeSpan ConnectTimeout { get; init; }
    public required TimeSpan HeloTimeout { get; init; }
    public required TimeSpan StarttlsTimeout { get; init; }
    public required TimeSpan MailTimeout { get; init; }
    public required TimeSpan RcptTimeout { get; init; }
    public required TimeSpan DataInitTimeout { get; init; }
    public required TimeSpan DataXferTimeout { get; init; }
    public required TimeSpan DataDoneTimeout { get; init; }
    public required TimeSpan RsetTimeout { get; init; }
    public required TimeSpan QuitTimeout { get; init; }

    /// <summary>myhostname: the name shown for a UNIX-domain LMTP server (relay=myhostname[/path]).</summary>
    public required string MyHostname { get; init; }

    /// <summary>smtp_helo_name / lmtp_lhlo_name.</summary>
    public required string HeloName { get; init; }

    public required bool AlwaysSendEhlo { get; init; }
    public required bool NeverSendEhlo { get; init; }
    public required bool Skip5xxGreeting { get; init; }
    public required bool SkipQuitResponse { get; init; }

    public required TlsSecurityLevel TlsLevel { get; init; }

    /// <summary>smtp_tls_CAfile: trust anchors for verify/secure (empty: the system store).</summary>
    public required string TlsCAfile { get; init; }

    public required DnsSupportLevel DnsSupport { get; init; }

    /// <summary>smtp_host_lookup contains "dns".</summary>
    public required bool HostLookupDns { get; init; }

    /// <summary>smtp_host_lookup contains "native" (getaddrinfo, /etc/hosts).</summary>
    public required bool HostLookupNative { get; init; }

    /// <summary>Address families from inet_protocols, in A-then-AAAA order.</summary>
    public required IReadOnlyList<AddressFamily> AddressFamilies { get; init; }

    /// <summary>smtp_address_preference: any, ipv4 or ipv6.</summary>
    public required string AddressPreference { get; init; }

    public required bool RandomizeAddresses { get; init; }

    /// <summary>smtp_mx_address_limit (0: no limit).</summary>
    public required int MxAddressLimit { get; init; }

    /// <summary>smtp_mx_session_limit (0: no limit).</summary>
    public required int MxSessionLimit { get; init; }

    /// <summary>smtp_tcp_port / lmtp_tcp_port resolved to a number: the port for MX hosts and bare host names.</summary>
    public required int DefaultPort { get; init; }

    /// <summary>smtp_connection_cache_on_demand: keep a session open for the next request to the same destination.</summary>
    public required bool ConnectionCacheOnDemand { get; init; }

    /// <summary>smtp_connection_cache_time_limit: how long an idle cached session is kept.</summary>
    public required TimeSpan ConnectionCacheTimeLimit { get; init; }

    /// <summary>smtp_connection_reuse_count_limit (0: no limit): transactions per session.</summary>
    public required int ConnectionReuseCountLimit { get; init; }

    /// <summary>smtp_connection_reuse_time_limit: no new transaction on a session older than this.</summary>
    public required TimeSpan ConnectionReuseTimeLimit { get; init; }

    /// <summary>smtputf8_enable.</summary>
    public required bool Smtputf8Enable { get; init; }
}

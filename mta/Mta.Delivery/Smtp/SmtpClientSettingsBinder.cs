using System.Net.Sockets;
using Mta.Config;
using Mta.Config.MasterCf;
using P = Mta.Config.ParameterCatalogue;

namespace Mta.Delivery.Smtp;

/// <summary>
/// Binds <see cref="SmtpClientSettings"/> from a parameter set, like smtp(8)'s CONFIG_*_TABLEs: the smtp_*
/// parameters when the program runs as "smtp", the lmtp_* ones when it runs as "lmtp" (lmtp_params.c).
/// </summary>
public static class SmtpClientSettingsBinder
{
    public static SmtpClientSettings Bind(ParameterSet p, bool lmtp) => lmtp ? BindLmtp(p) : BindSmtp(p);

    private static SmtpClientSettings BindSmtp(ParameterSet p) => new()
    {
        Lmtp = false,
        ConnectTimeout = p.Get(P.SmtpConnectTimeout),
        HeloTimeout = p.Get(P.SmtpHeloTimeout),
        StarttlsTimeout = p.Get(P.SmtpStarttlsTimeout),
        MailTimeout = p.Get(P.SmtpMailTimeout),
        RcptTimeout = p.Get(P.SmtpRcptTimeout),
        DataInitTimeout = p.Get(P.SmtpDataInitTimeout),
        DataXferTimeout = p.Get(P.SmtpDataXferTimeout),
        DataDoneTimeout = p.Get(P.SmtpDataDoneTimeout),
        RsetTimeout = p.Get(P.SmtpRsetTimeout),
        QuitTimeout = p.Get(P.SmtpQuitTimeout),
        MyHostname = p.Get(P.MyHostname),
        HeloName = p.Get(P.SmtpHeloName),
        AlwaysSendEhlo = p.Get(P.SmtpAlwaysSendEhlo),
        NeverSendEhlo = p.Get(P.SmtpNeverSendEhlo),
        Skip5xxGreeting = p.Get(P.SmtpSkip5xxGreeting),
        SkipQuitResponse = p.Get(P.SmtpSkipQuitResponse),
        TlsLevel = ParseTlsLevel(P.SmtpTlsSecurityLevel.Name, p.Get(P.SmtpTlsSecurityLevel), p.Get(P.SmtpEnforceTls), p.Get(P.SmtpUseTls)),
        TlsCAfile = p.Get(P.SmtpTlsCAfile),
        DnsSupport = ParseDnsSupport(p.Get(P.SmtpDnsSupportLevel), p.Get(P.DisableDnsLookups)),
        HostLookupDns = p.Get(P.SmtpHostLookup).Contains("dns", StringComparer.OrdinalIgnoreCase),
        HostLookupNative = p.Get(P.SmtpHostLookup).Contains("native", StringComparer.OrdinalIgnoreCase),
        AddressFamilies = ParseInetProtocols(p.Get(P.InetProtocols)),
        AddressPreference = p.Get(P.SmtpAddressPreference).Trim().ToLowerInvariant(),
        RandomizeAddresses = p.Get(P.SmtpRandomizeAddresses),
        MxAddressLimit = p.Get(P.SmtpMxAddressLimit),
        MxSessionLimit = p.Get(P.SmtpMxSessionLimit),
        DefaultPort = ParsePort(P.SmtpTcpPort.Name, p.Get(P.SmtpTcpPort)),
        ConnectionCacheOnDemand = p.Get(P.SmtpConnectionCacheOnDemand),
        ConnectionCacheTimeLimit = p.Get(P.SmtpConnectionCacheTimeLimit),
        ConnectionReuseCountLimit = p.Get(P.SmtpConnectionReuseCountLimit),
        ConnectionReuseTimeLimit = p.Get(P.SmtpConnectionReuseTimeLimit),
        Smtputf8Enable = p.Get(P.Smtputf8Enable),
    };

    private static SmtpClientSettings BindLmtp(ParameterSet p) => new()
    {
        Lmtp = true,
        ConnectTimeout = p.Get(P.LmtpConnectTimeout),
        HeloTimeout = p.Get(P.LmtpLhloTimeout),
        StarttlsTimeout = p.Get(P.LmtpStarttlsTimeout),
        MailTimeout = p.Get(P.LmtpMailTimeout),
        RcptTimeout = p.Get(P.LmtpRcptTimeout),
        DataInitTimeout = p.Get(P.LmtpDataInitTimeout),
        DataXferTimeout = p.Get(P.LmtpDataXferTimeout),
        DataDoneTimeout = p.Get(P.LmtpDataDoneTimeout),
        RsetTimeout = p.Get(P.LmtpRsetTimeout),
        QuitTimeout = p.Get(P.LmtpQuitTimeout),
        MyHostname = p.Get(P.MyHostname),
        HeloName = p.Get(P.LmtpLhloName),
        AlwaysSendEhlo = true,
        NeverSendEhlo = false,
        Skip5xxGreeting = p.Get(P.LmtpSkip5xxGreeting),
        SkipQuitResponse = p.Get(P.LmtpSkipQuitResponse),
        TlsLevel = ParseTlsLevel(P.LmtpTlsSecurityLevel.Name, p.Get(P.LmtpTlsSecurityLevel), p.Get(P.LmtpEnforceTls), p.Get(P.LmtpUseTls)),
        TlsCAfile = p.Get(P.LmtpTlsCAfile),
        DnsSupport = ParseDnsSupport(p.Get(P.LmtpDnsSupportLevel), p.Get(P.DisableDnsLookups)),
        HostLookupDns = p.Get(P.LmtpHostLookup).Contains("dns", StringComparer.OrdinalIgnoreCase),
        HostLookupNative = p.Get(P.LmtpHostLookup).Contains("native", StringComparer.OrdinalIgnoreCase),
        AddressFamilies = ParseInetProtocols(p.Get(P.InetProtocols)),
        AddressPreference = p.Get(P.LmtpAddressPreference).Trim().ToLowerInvariant(),
        RandomizeAddresses = p.Get(P.LmtpRandomizeAddresses),
        MxAddressLimit = p.Get(P.LmtpMxAddressLimit),
        MxSessionLimit = p.Get(P.LmtpMxSessionLimit),
        DefaultPort = ParsePort(P.LmtpTcpPort.Name, p.Get(P.LmtpTcpPort)),
        ConnectionCacheOnDemand = p.Get(P.LmtpConnectionCacheOnDemand),
        ConnectionCacheTimeLimit = p.Get(P.LmtpConnectionCacheTimeLimit),
        ConnectionReuseCountLimit = p.Get(P.LmtpConnectionReuseCountLimit),
        ConnectionReuseTimeLimit = p.Get(P.LmtpConnectionReuseTimeLimit),
        Smtputf8Enable = p.Get(P.Smtputf8Enable),
    };

    // Empty level: the obsolete smtp_enforce_tls / smtp_use_tls decide, as in Postfix.
    internal static TlsSecurityLevel ParseTlsLevel(string name, string value, bool enforceTls, bool useTls) =>
        value.Trim().ToLowerInvariant() switch
        {
            "" => enforceTls ? TlsSecurityLevel.Encrypt : useTls ? TlsSecurityLevel.May : TlsSecurityLevel.None,
            "none" => TlsSecurityLevel.None,
            "may" => TlsSecurityLevel.May,
            "encrypt" => TlsSecurityLevel.Encrypt,
            "verify" => TlsSecurityLevel.Verify,
            "secure" => TlsSecurityLevel.Secure,
            var other => throw new ConfigException($"{name}: unsupported TLS security level \"{other}\""),
        };

    // smtp_dns_support_level wins when set; otherwise disable_dns_lookups (Postfix's backwards compatibility).
    internal static DnsSupportLevel ParseDnsSupport(string level, bool disableDnsLookups) =>
        level.Trim().ToLowerInvariant() switch
        {
            "" => disableDnsLookups ? DnsSupportLevel.Disabled : DnsSupportLevel.Enabled,
            "disabled" => DnsSupportLevel.Disabled,
            "enabled" => DnsSupportLevel.Enabled,
            "dnssec" => DnsSupportLevel.Dnssec,
            var other => throw new ConfigException($"smtp_dns_support_level: bad value \"{other}\""),
        };

    internal static IReadOnlyList<AddressFamily> ParseInetProtocols(IReadOnlyList<string> protocols)
    {
        bool v4 = false, v6 = false;
        foreach (var p in protocols)
            switch (p.ToLowerInvariant())
            {
                case "all": v4 = v6 = true; break;
                case "ipv4": v4 = true; break;
                case "ipv6": v6 = true; break;
            }
        var families = new List<AddressFamily>(2);
        if (v4) families.Add(AddressFamily.InterNetwork);
        if (v6) families.Add(AddressFamily.InterNetworkV6);
        return families;
    }

    internal static int ParsePort(string name, string value) =>
        KnownTcpPorts.Default.Resolve(value.Trim()) is { } port and > 0 and < 65536
            ? port
            : throw new ConfigException($"{name}: unknown service or bad port \"{value}\"");
}

using System.Net;
using System.Net.NetworkInformation;
using Mta.Config;
using Mta.Config.Lists;
using P = Mta.Config.ParameterCatalogue;

namespace Mta.Smtp;

/// <summary>
/// Binds <see cref="SmtpdSettings"/> from an evaluated main.cf (plus a service's -o overrides, already in the set):
/// the one place where smtpd reads parameters by their catalogue descriptors.
/// </summary>
public static class SmtpdSettingsBinder
{
    /// <summary>Reads every smtpd parameter. Throws <see cref="ConfigException"/>-style errors for bad values.</summary>
    /// <param name="parameters">main.cf with the service's -o overrides applied.</param>
    /// <param name="serviceName">master.cf service name (e.g. "submission").</param>
    public static SmtpdSettings From(ParameterSet parameters, string serviceName = "smtp")
    {
        var p = parameters;
        var myHostname = p.Get(P.MyHostname);
        var level = ParseSecurityLevel(p.Get(P.SmtpdTlsSecurityLevel), p.Get(P.SmtpdUseTls), p.Get(P.SmtpdEnforceTls));
        var certFile = p.Get(P.SmtpdTlsCertFile);
        var keyFile = p.Get(P.SmtpdTlsKeyFile);
        var wrapper = p.Get(P.SmtpdTlsWrappermode);
        var needCertificate = (level != TlsSecurityLevel.None || wrapper) && certFile.Length > 0;
        var localRewrite = p.Get(P.LocalHeaderRewriteClients);

        return new SmtpdSettings
        {
            ServiceName = serviceName,
            ProgramName = $"{p.Get(P.SyslogName)}/smtpd",
            MyHostname = myHostname,
            MailName = p.Get(P.MailName),
            Banner = p.Get(P.SmtpdBanner),
            MessageSizeLimit = p.Get(P.MessageSizeLimit),
            LineLengthLimit = p.Get(P.LineLengthLimit),
            HeaderSizeLimit = p.Get(P.HeaderSizeLimit),
            HopcountLimit = p.Get(P.HopcountLimit),
            RecipientLimit = p.Get(P.SmtpdRecipientLimit),
            SoftErrorLimit = p.Get(P.SmtpdSoftErrorLimit),
            HardErrorLimit = p.Get(P.SmtpdHardErrorLimit),
            ErrorSleepTime = p.Get(P.SmtpdErrorSleepTime),
            JunkCommandLimit = p.Get(P.SmtpdJunkCommandLimit),
            Timeout = p.Get(P.SmtpdTimeout),
            StarttlsTimeout = p.Get(P.SmtpdStarttlsTimeout),
            HeloRequired = p.Get(P.SmtpdHeloRequired),
            DisableVrfyCommand = p.Get(P.DisableVrfyCommand),
            ForbidUnauthPipelining = p.Get(P.SmtpdForbidUnauthPipelining),
            ForbidBareNewline = ParseBareNewline(p.Get(P.SmtpdForbidBareNewline)),
            ForbidBareNewlineRejectCode = p.Get(P.SmtpdForbidBareNewlineRejectCode),
            ForbidBareNewlineExclusions = Networks(ConfigList.Split(p.Get(P.SmtpdForbidBareNewlineExclusions))),
            DiscardEhloKeywords = p.Get(P.SmtpdDiscardEhloKeywords).Select(k => k.ToLowerInvariant()).ToHashSet(),
            SmtputF8Enable = p.Get(P.Smtputf8Enable),
            TlsSecurityLevel = level,
            TlsWrapperMode = wrapper,
            TlsCertificate = needCertificate ? SmtpdSettings.LoadCertificate(certFile, keyFile) : null,
            TlsReceivedHeader = p.Get(P.SmtpdTlsReceivedHeader),
            SaslAuthEnable = p.Get(P.SmtpdSaslAuthEnable),
            TlsAuthOnly = p.Get(P.SmtpdTlsAuthOnly),
            BrokenSaslAuthClients = p.Get(P.BrokenSaslAuthClients),
            SaslResponseLimit = p.Get(P.SmtpdSaslResponseLimit),
            UpstreamProxyHaproxy = ParseProxyProtocol(p.Get(P.SmtpdUpstreamProxyProtocol)),
            UpstreamProxyTimeout = p.Get(P.SmtpdUpstreamProxyTimeout),
            PeernameLookup = p.Get(P.SmtpdPeernameLookup),
            AlwaysAddMissingHeaders = p.Get(P.AlwaysAddMissingHeaders),
            LocalHeaderRewriteClients = LocalHeaderRewriteNetworks(localRewrite, p.Get(P.MyNetworks)),
            LocalHeaderRewriteSaslAuthenticated = localRewrite.Contains("permit_sasl_authenticated", StringComparer.OrdinalIgnoreCase),
            MyOrigin = p.Get(P.MyOrigin),
            FastFlushDomains = Policy.DomainMatchList.Parse("fast_flush_domains", p.Expand("fast_flush_domains"),
                p.ParentDomainMatchesSubdomains("fast_flush_domains"),
                Mta.Config.Tables.LookupTableFactory.Shared),
        };
    }

    /// <summary>smtpd_tls_security_level, or the obsolete smtpd_use_tls/smtpd_enforce_tls when it is empty.</summary>
    public static TlsSecurityLevel ParseSecurityLevel(string level, bool useTls, bool enforceTls) => level.ToLowerInvariant() switch
    {
        "" => enforceTls ? TlsSecurityLevel.Encrypt : useTls ? TlsSecurityLevel.May : TlsSecurityLevel.None,
        "none" => TlsSecurityLevel.None,
        "may" => TlsSecurityLevel.May,
        "encrypt" => TlsSecurityLevel.Encrypt,
        _ => throw new FormatException($"invalid smtpd_tls_security_level value: \"{level}\""),
    };

    public static BareNewlineMode ParseBareNewline(string value) => value.ToLowerInvariant() switch
    {
        "normalize" or "yes" => BareNewlineMode.Normalize,
        "note" => BareNewlineMode.Note,
        "reject" => BareNewlineMode.Reject,
        "no" => BareNewlineMode.No,
        _ => throw new FormatException($"invalid smtpd_forbid_bare_newline value: \"{value}\""),
    };

    private static bool ParseProxyProtocol(string value) => value.ToLowerInvariant() switch
    {
        "" => false,
        "haproxy" => true,
        _ => throw new FormatException($"unsupported smtpd_upstream_proxy_protocol type: {value}"),
    };

    /// <summary>
    /// The address/network items of a match list (a.b.c.d, a.b.c.d/n, [ipv6], [ipv6]/n, ipv6/n). Host names,
    /// /file and type:table entries are not networks and are left to the policy's full matcher.
    /// </summary>
    public static IReadOnlyList<IPNetwork> Networks(IEnumerable<string> items)
    {
        var result = new List<IPNetwork>();
        foreach (var raw in items)
        {
            var item = raw.Replace("[", "").Replace("]", "");
            if (IPNetwork.TryParse(item, out var network))
                result.Add(network);
            else if (IPAddress.TryParse(item, out var address))
                result.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
        }
        return result;
    }

    /// <summary>local_header_rewrite_clients: permit_inet_interfaces (this host's addresses), permit_mynetworks, and literal networks.</summary>
    private static IReadOnlyList<IPNetwork> LocalHeaderRewriteNetworks(IReadOnlyList<string> items, IReadOnlyList<string> myNetworks)
    {
        var result = new List<IPNetwork>();
        foreach (var item in items)
        {
            if (item.Equals("permit_inet_interfaces", StringComparison.OrdinalIgnoreCase))
                result.AddRange(InterfaceAddresses());
            else if (item.Equals("permit_mynetworks", StringComparison.OrdinalIgnoreCase))
                result.AddRange(Networks(myNetworks));
            else
                result.AddRange(Networks([item]));
        }
        return result;
    }

    private static IEnumerable<IPNetwork> InterfaceAddresses()
    {
        yield return IPNetwork.Parse("127.0.0.0/8");
        yield return IPNetwork.Parse("::1/128");
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                yield return new IPNetwork(unicast.Address, unicast.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }
}

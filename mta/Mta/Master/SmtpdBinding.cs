using System.Net;
using Mta.Config.Lists;
using Mta.Config;
using Mta.Config.MasterCf;
using Mta.Smtp;
using Mta.Smtp.Policy;
using C = Mta.Config.ParameterCatalogue;

namespace Mta.Master;

/// <summary>
/// Binds one smtpd service's settings from main.cf plus its master.cf -o overrides, once at start and on reload
/// (Postfix's smtpd CONFIG_*_TABLEs): protocol code then reads only the records, never a parameter by name.
/// </summary>
internal static class SmtpdBinding
{
    public static SmtpdSettings Settings(ParameterSet p, MasterService service)
    {
        var tlsLevel = p.Get(C.SmtpdTlsSecurityLevel).ToLowerInvariant() switch
        {
            "" or "none" => TlsSecurityLevel.None,
            "may" => TlsSecurityLevel.May,
            "encrypt" => TlsSecurityLevel.Encrypt,
            var other => throw new ConfigException($"invalid smtpd_tls_security_level value: {other}"),
        };
        var certFile = p.Get(C.SmtpdTlsCertFile);
        var wrapper = p.Get(C.SmtpdTlsWrappermode);
        return new SmtpdSettings
        {
            ServiceName = service.Name,
            ProgramName = $"{p.Get(C.SyslogName)}/{service.ProcessName}",
            MyHostname = p.Get(C.MyHostname),
            MailName = p.Get(C.MailName),
            Banner = p.Get(C.SmtpdBanner),
            MessageSizeLimit = p.Get(C.MessageSizeLimit),
            LineLengthLimit = p.Get(C.LineLengthLimit),
            HeaderSizeLimit = p.Get(C.HeaderSizeLimit),
            HopcountLimit = p.Get(C.HopcountLimit),
            RecipientLimit = p.Get(C.SmtpdRecipientLimit),
            SoftErrorLimit = p.Get(C.SmtpdSoftErrorLimit),
            HardErrorLimit = p.Get(C.SmtpdHardErrorLimit),
            ErrorSleepTime = p.Get(C.SmtpdErrorSleepTime),
            JunkCommandLimit = p.Get(C.SmtpdJunkCommandLimit),
            Timeout = p.Get(C.SmtpdTimeout),
            StarttlsTimeout = p.Get(C.SmtpdStarttlsTimeout),
            HeloRequired = p.Get(C.SmtpdHeloRequired),
            DisableVrfyCommand = p.Get(C.DisableVrfyCommand),
            ForbidUnauthPipelining = p.Get(C.SmtpdForbidUnauthPipelining),
            ForbidBareNewline = p.Get(C.SmtpdForbidBareNewline).ToLowerInvariant() switch
            {
                "no" => BareNewlineMode.No,
                "normalize" or "yes" => BareNewlineMode.Normalize,
                "note" => BareNewlineMode.Note,
                "reject" => BareNewlineMode.Reject,
                var other => throw new ConfigException($"invalid smtpd_forbid_bare_newline value: {other}"),
            },
            ForbidBareNewlineRejectCode = p.Get(C.SmtpdForbidBareNewlineRejectCode),
            ForbidBareNewlineExclusions = Networks(p, ConfigList.Split(p.Get(C.SmtpdForbidBareNewlineExclusions))),
            DiscardEhloKeywords = p.Get(C.SmtpdDiscardEhloKeywords).Select(k => k.ToLowerInvariant()).ToHashSet(),
            SmtputF8Enable = p.Get(C.Smtputf8Enable),
            TlsSecurityLevel = tlsLevel,
            TlsWrapperMode = wrapper,
            TlsCertificate = (tlsLevel != TlsSecurityLevel.None || wrapper) && certFile.Length > 0
                ? SmtpdSettings.LoadCertificate(certFile, p.Get(C.SmtpdTlsKeyFile))
                : null,
            TlsReceivedHeader = p.Get(C.SmtpdTlsReceivedHeader),
            SaslAuthEnable = p.Get(C.SmtpdSaslAuthEnable),
            TlsAuthOnly = p.Get(C.SmtpdTlsAuthOnly),
            BrokenSaslAuthClients = p.Get(C.BrokenSaslAuthClients),
            SaslResponseLimit = p.Get(C.SmtpdSaslResponseLimit),
            UpstreamProxyHaproxy = p.Get(C.SmtpdUpstreamProxyProtocol) == "haproxy",
            UpstreamProxyTimeout = p.Get(C.SmtpdUpstreamProxyTimeout),
            PeernameLookup = p.Get(C.SmtpdPeernameLookup),
            AlwaysAddMissingHeaders = p.Get(C.AlwaysAddMissingHeaders),
            LocalHeaderRewriteClients = Networks(p, p.Get(C.LocalHeaderRewriteClients)),
            LocalHeaderRewriteSaslAuthenticated = p.Get(C.LocalHeaderRewriteClients).Contains("permit_sasl_authenticated"),
            MyOrigin = p.Get(C.MyOrigin),
        };
    }

    /// <summary>smtpd_sasl_path names a user:password table (e.g. mounted from a Kubernetes Secret) when AUTH is on.</summary>
    public static ISaslCredentials? Credentials(ParameterSet p)
    {
        if (!p.Get(C.SmtpdSaslAuthEnable))
            return null;
        var path = p.Get(C.SmtpdSaslPath);
        return File.Exists(path) ? PasswordTable.Load(path) : throw new ConfigException($"smtpd_sasl_path: cannot open password table {path}");
    }

    public static SmtpdPolicySettings PolicySettings(ParameterSet p) => new()
    {
        MyHostname = p.Get(C.MyHostname),
        MyOrigin = p.Get(C.MyOrigin),
        MyDestination = p.Expand("mydestination"),
        MyNetworks = p.Expand("mynetworks"),
        RelayDomains = p.Expand("relay_domains"),
        VirtualAliasDomains = p.Expand("virtual_alias_domains"),
        VirtualMailboxDomains = p.Expand("virtual_mailbox_domains"),
        InterfaceAddresses = InterfaceAddresses(p),
        ParentDomainMatchesSubdomains = p.Expand("parent_domain_matches_subdomains"),
        SmtpdClientRestrictions = p.Expand("smtpd_client_restrictions"),
        SmtpdHeloRestrictions = p.Expand("smtpd_helo_restrictions"),
        SmtpdSenderRestrictions = p.Expand("smtpd_sender_restrictions"),
        SmtpdRelayRestrictions = p.Expand("smtpd_relay_restrictions"),
        SmtpdRecipientRestrictions = p.Expand("smtpd_recipient_restrictions"),
        SmtpdDataRestrictions = p.Expand("smtpd_data_restrictions"),
        SmtpdEndOfDataRestrictions = p.Expand("smtpd_end_of_data_restrictions"),
        SmtpdEtrnRestrictions = p.Expand("smtpd_etrn_restrictions"),
        SmtpdRestrictionClasses = p.Get(C.SmtpdRestrictionClasses).ToDictionary(name => name, name => p.Expand(name)),
        SmtpdDelayReject = p.Get(C.SmtpdDelayReject),
        SmtpdRelayBeforeRecipientRestrictions = p.Get(C.SmtpdRelayBeforeRecipientRestrictions),
        AllowUntrustedRouting = p.Get(C.AllowUntrustedRouting),
        SwapBangpath = p.Get(C.SwapBangpath),
        AllowPercentHack = p.Get(C.AllowPercentHack),
        ResolveDequotedAddress = p.Get(C.ResolveDequotedAddress),
        ResolveNullDomain = p.Get(C.ResolveNullDomain),
        ResolveNumericDomain = p.Get(C.ResolveNumericDomain),
        SmtpdRejectUnlistedRecipient = p.Get(C.SmtpdRejectUnlistedRecipient),
        SmtpdRejectUnlistedSender = p.Get(C.SmtpdRejectUnlistedSender),
        ShowUserUnknownTableName = p.Get(C.ShowUserUnknownTableName),
        SoftBounce = p.Get(C.SoftBounce),
        RejectCode = p.Get(C.RejectCode),
        DeferCode = p.Get(C.DeferCode),
        RelayDomainsRejectCode = p.Get(C.RelayDomainsRejectCode),
        AccessMapRejectCode = p.Get(C.AccessMapRejectCode),
        AccessMapDeferCode = p.Get(C.AccessMapDeferCode),
        NonFqdnRejectCode = p.Get(C.NonFqdnRejectCode),
        InvalidHostnameRejectCode = p.Get(C.InvalidHostnameRejectCode),
        UnknownAddressRejectCode = p.Get(C.UnknownAddressRejectCode),
        UnknownClientRejectCode = p.Get(C.UnknownClientRejectCode),
        UnknownHostnameRejectCode = p.Get(C.UnknownHostnameRejectCode),
        UnknownLocalRecipientRejectCode = p.Get(C.UnknownLocalRecipientRejectCode),
        UnknownVirtualAliasRejectCode = p.Get(C.UnknownVirtualAliasRejectCode),
        UnknownVirtualMailboxRejectCode = p.Get(C.UnknownVirtualMailboxRejectCode),
        UnknownRelayRecipientRejectCode = p.Get(C.UnknownRelayRecipientRejectCode),
        MultiRecipientBounceRejectCode = p.Get(C.MultiRecipientBounceRejectCode),
        PlaintextRejectCode = p.Get(C.PlaintextRejectCode),
        RejectTempfailAction = p.Expand("reject_tempfail_action"),
        LocalRecipientMaps = p.Expand("local_recipient_maps"),
        VirtualAliasMaps = p.Expand("virtual_alias_maps"),
        VirtualMailboxMaps = p.Expand("virtual_mailbox_maps"),
        RelayRecipientMaps = p.Expand("relay_recipient_maps"),
        CanonicalMaps = p.Expand("canonical_maps"),
        SenderCanonicalMaps = p.Expand("sender_canonical_maps"),
        RecipientCanonicalMaps = p.Expand("recipient_canonical_maps"),
        RecipientDelimiter = p.Expand("recipient_delimiter"),
        SmtpdNullAccessLookupKey = p.Expand("smtpd_null_access_lookup_key"),
        DoubleBounceSender = p.Expand("double_bounce_sender"),
        EmptyAddressRecipient = p.Expand("empty_address_recipient"),
        VirtualAliasRecursionLimit = p.Get(C.VirtualAliasRecursionLimit),
        VirtualAliasExpansionLimit = p.Get(C.VirtualAliasExpansionLimit),
        PropagateUnmatchedExtensions = p.Expand("propagate_unmatched_extensions"),
        AlwaysBcc = p.Expand("always_bcc"),
        SenderBccMaps = p.Expand("sender_bcc_maps"),
    };

    /// <summary>inet_interfaces + proxy_interfaces as addresses: what user@[addr] must name to be local.</summary>
    private static IReadOnlyList<IPAddress> InterfaceAddresses(ParameterSet p)
    {
        var names = p.Get(C.InetInterfaces).Concat(p.Get(C.ProxyInterfaces)).ToList();
        if (names.Any(n => n.Equals("all", StringComparison.OrdinalIgnoreCase)))
            return HostAddresses();
        var result = new List<IPAddress>();
        foreach (var name in names)
        {
            if (name.Equals("loopback-only", StringComparison.OrdinalIgnoreCase) || name.Equals("localhost", StringComparison.OrdinalIgnoreCase))
                result.AddRange([IPAddress.Loopback, IPAddress.IPv6Loopback]);
            else if (IPAddress.TryParse(name.Trim('[', ']'), out var address))
                result.Add(address);
        }
        return result;
    }

    private static IReadOnlyList<IPAddress> HostAddresses() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(u => u.Address).ToList();

    /// <summary>
    /// Network entries of a match list (CIDR, address, [ipv6]/len) as IPNetworks; permit_inet_interfaces and
    /// permit_mynetworks stand for those address sets. Host names and tables are not networks and are skipped.
    /// </summary>
    private static IReadOnlyList<IPNetwork> Networks(ParameterSet p, IReadOnlyList<string> entries)
    {
        var result = new List<IPNetwork>();
        foreach (var raw in entries)
        {
            if (raw == "permit_inet_interfaces")
            {
                result.AddRange(InterfaceAddresses(p).Select(a => new IPNetwork(a, a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)));
                continue;
            }
            if (raw == "permit_mynetworks")
            {
                result.AddRange(Networks(p, p.Get(C.MyNetworks)));
                continue;
            }
            var text = raw.Replace("[", "").Replace("]", "");
            if (IPNetwork.TryParse(text, out var network))
                result.Add(network);
            else if (IPAddress.TryParse(text, out var address))
                result.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
        }
        return result;
    }
}

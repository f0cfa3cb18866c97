using System.Net;
using System.Net.NetworkInformation;
using Mta.Config;
using Mta.Config.Lists;
using Mta.Config.Tables;
using C = Mta.Config.ParameterCatalogue;

namespace Mta.Smtp.Policy;

/// <summary>
/// Binds the policy's settings records from main.cf (a <see cref="ParameterSet"/>) once, at start and on reload,
/// through the typed parameter catalogue, so no protocol code looks parameters up by name.
/// </summary>
public static class PolicySettingsBinder
{
    public static SmtpdPolicySettings BindSmtpdPolicy(ParameterSet p) => new()
    {
        MyHostname = Text(p, C.MyHostname),
        MyOrigin = Text(p, C.MyOrigin),
        MyDestination = Text(p, C.MyDestination),
        MyNetworks = Text(p, C.MyNetworks),
        RelayDomains = Text(p, C.RelayDomains),
        VirtualAliasDomains = Text(p, C.VirtualAliasDomains),
        VirtualMailboxDomains = Text(p, C.VirtualMailboxDomains),
        InterfaceAddresses = InterfaceAddresses(Text(p, C.InetInterfaces), Text(p, C.ProxyInterfaces)),
        ParentDomainMatchesSubdomains = Text(p, C.ParentDomainMatchesSubdomains),
        SmtpdClientRestrictions = Text(p, C.SmtpdClientRestrictions),
        SmtpdHeloRestrictions = Text(p, C.SmtpdHeloRestrictions),
        SmtpdSenderRestrictions = Text(p, C.SmtpdSenderRestrictions),
        SmtpdRelayRestrictions = Text(p, C.SmtpdRelayRestrictions),
        SmtpdRecipientRestrictions = Text(p, C.SmtpdRecipientRestrictions),
        SmtpdDataRestrictions = Text(p, C.SmtpdDataRestrictions),
        SmtpdEndOfDataRestrictions = Text(p, C.SmtpdEndOfDataRestrictions),
        SmtpdEtrnRestrictions = Text(p, C.SmtpdEtrnRestrictions),
        // Each class is a parameter the administrator defines in main.cf.
        SmtpdRestrictionClasses = ConfigList.Split(Text(p, C.SmtpdRestrictionClasses))
            .ToDictionary(name => name, p.Expand, StringComparer.OrdinalIgnoreCase),
        SmtpdDelayReject = Bool(p, C.SmtpdDelayReject),
        SmtpdRelayBeforeRecipientRestrictions = Bool(p, C.SmtpdRelayBeforeRecipientRestrictions),
        AllowUntrustedRouting = Bool(p, C.AllowUntrustedRouting),
        SwapBangpath = Bool(p, C.SwapBangpath),
        AllowPercentHack = Bool(p, C.AllowPercentHack),
        ResolveDequotedAddress = Bool(p, C.ResolveDequotedAddress),
        ResolveNullDomain = Bool(p, C.ResolveNullDomain),
        ResolveNumericDomain = Bool(p, C.ResolveNumericDomain),
        SmtpdRejectUnlistedRecipient = Bool(p, C.SmtpdRejectUnlistedRecipient),
        SmtpdRejectUnlistedSender = Bool(p, C.SmtpdRejectUnlistedSender),
        ShowUserUnknownTableName = Bool(p, C.ShowUserUnknownTableName),
        SoftBounce = Bool(p, C.SoftBounce),
        RejectCode = Int(p, C.RejectCode),
        DeferCode = Int(p, C.DeferCode),
        RelayDomainsRejectCode = Int(p, C.RelayDomainsRejectCode),
        AccessMapRejectCode = Int(p, C.AccessMapRejectCode),
        AccessMapDeferCode = Int(p, C.AccessMapDeferCode),
        NonFqdnRejectCode = Int(p, C.NonFqdnRejectCode),
        InvalidHostnameRejectCode = Int(p, C.InvalidHostnameRejectCode),
        UnknownAddressRejectCode = Int(p, C.UnknownAddressRejectCode),
        UnknownClientRejectCode = Int(p, C.UnknownClientRejectCode),
        UnknownHostnameRejectCode = Int(p, C.UnknownHostnameRejectCode),
        UnknownLocalRecipientRejectCode = Int(p, C.UnknownLocalRecipientRejectCode),
        UnknownVirtualAliasRejectCode = Int(p, C.UnknownVirtualAliasRejectCode),
        UnknownVirtualMailboxRejectCode = Int(p, C.UnknownVirtualMailboxRejectCode),
        UnknownRelayRecipientRejectCode = Int(p, C.UnknownRelayRecipientRejectCode),
        MultiRecipientBounceRejectCode = Int(p, C.MultiRecipientBounceRejectCode),
        PlaintextRejectCode = Int(p, C.PlaintextRejectCode),
        RejectTempfailAction = Text(p, C.RejectTempfailAction),
        LocalRecipientMaps = Text(p, C.LocalRecipientMaps),
        AliasMaps = Text(p, C.AliasMaps),
        VirtualAliasMaps = Text(p, C.VirtualAliasMaps),
        VirtualMailboxMaps = Text(p, C.VirtualMailboxMaps),
        RelayRecipientMaps = Text(p, C.RelayRecipientMaps),
        CanonicalMaps = Text(p, C.CanonicalMaps),
        SenderCanonicalMaps = Text(p, C.SenderCanonicalMaps),
        RecipientCanonicalMaps = Text(p, C.RecipientCanonicalMaps),
        RecipientDelimiter = Text(p, C.RecipientDelimiter),
        SmtpdNullAccessLookupKey = Text(p, C.SmtpdNullAccessLookupKey),
        DoubleBounceSender = Text(p, C.DoubleBounceSender),
        EmptyAddressRecipient = Text(p, C.EmptyAddressRecipient),
        VirtualAliasRecursionLimit = Int(p, C.VirtualAliasRecursionLimit),
        VirtualAliasExpansionLimit = Int(p, C.VirtualAliasExpansionLimit),
        PropagateUnmatchedExtensions = Text(p, C.PropagateUnmatchedExtensions),
        AlwaysBcc = Text(p, C.AlwaysBcc),
        SenderBccMaps = Text(p, C.SenderBccMaps),
    };

    /// <summary>
    /// trivial-rewrite's resolver settings (address classes, routing-operator switches) from main.cf: one binding for
    /// smtpd's relay decisions and the queue manager's router, so both classify an address the same way.
    /// </summary>
    public static ResolverSettings BindResolver(ParameterSet p, LookupTableFactory? tables = null) =>
        BindResolver(BindSmtpdPolicy(p), tables ?? LookupTableFactory.Shared);

    /// <summary>The resolver settings for already bound policy settings; lists are parsed and tables opened here.</summary>
    /// <exception cref="TableLookupException">A domain list names an unusable table or file.</exception>
    public static ResolverSettings BindResolver(SmtpdPolicySettings settings, LookupTableFactory tables)
    {
        var parents = ConfigList.Split(settings.ParentDomainMatchesSubdomains).ToHashSet(StringComparer.OrdinalIgnoreCase);
        DomainMatchList List(string name, string value) => DomainMatchList.Parse(name, value, parents.Contains(name), tables);
        return new ResolverSettings
        {
            MyHostname = settings.MyHostname,
            MyOrigin = settings.MyOrigin ?? settings.MyHostname,
            MyDestination = List("mydestination", settings.MyDestination),
            RelayDomains = List("relay_domains", settings.RelayDomains),
            VirtualAliasDomains = List("virtual_alias_domains", settings.VirtualAliasDomains),
            VirtualMailboxDomains = List("virtual_mailbox_domains", settings.VirtualMailboxDomains),
            InterfaceAddresses = settings.InterfaceAddresses,
            SwapBangpath = settings.SwapBangpath,
            AllowPercentHack = settings.AllowPercentHack,
            ResolveDequoted = settings.ResolveDequotedAddress,
            ResolveNullDomain = settings.ResolveNullDomain,
            ResolveNumericDomain = settings.ResolveNumericDomain,
            EmptyAddressRecipient = settings.EmptyAddressRecipient,
        };
    }

    public static ClientLimitSettings BindClientLimits(ParameterSet p) => new()
    {
        MyHostname = Text(p, C.MyHostname),
        SmtpdClientConnectionCountLimit = Int(p, C.SmtpdClientConnectionCountLimit),
        SmtpdClientConnectionRateLimit = Int(p, C.SmtpdClientConnectionRateLimit),
        SmtpdClientMessageRateLimit = Int(p, C.SmtpdClientMessageRateLimit),
        SmtpdClientRecipientRateLimit = Int(p, C.SmtpdClientRecipientRateLimit),
        SmtpdClientIpv4PrefixLength = Int(p, C.SmtpdClientIpv4PrefixLength),
        SmtpdClientIpv6PrefixLength = Int(p, C.SmtpdClientIpv6PrefixLength),
    };

    /// <summary>anvil_rate_time_unit.</summary>
    public static TimeSpan AnvilRateTimeUnit(ParameterSet p) =>
        C.AnvilRateTimeUnit is TimeParameter t ? p.Get(t) : TimeSpan.FromSeconds(60);

    /// <summary>smtpd_client_event_limit_exceptions (default ${smtpd_client_connection_limit_exceptions:$mynetworks}).</summary>
    public static string ClientEventLimitExceptions(ParameterSet p) => Text(p, C.SmtpdClientEventLimitExceptions);

    /// <summary>
    /// inet_interfaces plus proxy_interfaces as addresses: "all" is every address of this host, "loopback-only" the
    /// loopback addresses, names are resolved once.
    /// </summary>
    public static IReadOnlyList<IPAddress> InterfaceAddresses(string inetInterfaces, string proxyInterfaces)
    {
        var result = new List<IPAddress>();
        foreach (var item in ConfigList.Split(inetInterfaces).Concat(ConfigList.Split(proxyInterfaces)))
        {
            if (item.Equals("all", StringComparison.OrdinalIgnoreCase))
                result.AddRange(NetworkInterface.GetAllNetworkInterfaces()
                    .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address));
            else if (item.Equals("loopback-only", StringComparison.OrdinalIgnoreCase))
                result.AddRange([IPAddress.Loopback, IPAddress.IPv6Loopback]);
            else if (IPAddress.TryParse(item.Trim('[', ']'), out var address))
                result.Add(address);
            else
            {
                try { result.AddRange(Dns.GetHostAddresses(item)); }
                catch (System.Net.Sockets.SocketException e)
                {
                    throw new ConfigException($"{item}: host not found: {e.Message}");
                }
            }
        }
        return result.Select(Config.Tables.IpNetwork.Normalize).Distinct().ToList();
    }

    private static string Text(ParameterSet p, Parameter parameter) => parameter switch
    {
        ListParameter list => string.Join(", ", p.Get(list)),
        StringParameter text => p.Get(text),
        _ => p.Expand(parameter.Name),
    };

    private static int Int(ParameterSet p, Parameter parameter) =>
        parameter is IntParameter i ? p.Get(i) : int.Parse(p.Expand(parameter.Name));

    private static bool Bool(ParameterSet p, Parameter parameter) =>
        parameter is BoolParameter b ? p.Get(b) : p.Expand(parameter.Name).Equals("yes", StringComparison.OrdinalIgnoreCase);
}

using System.Net;

namespace Mta.Smtp.Policy;

/// <summary>
/// The main.cf parameters smtpd's policy reads, already $-expanded, named after the Postfix parameter (defaults are
/// Postfix 3.11's at compatibility_level >= 3.6, except where a default names host-specific values: MyHostname,
/// MyDestination and MyNetworks must be given). Lists and tables are the raw parameter text.
/// </summary>
public sealed record SmtpdPolicySettings
{
    public required string MyHostname { get; init; }
    /// <summary>myorigin (default $myhostname).</summary>
    public string? MyOrigin { get; init; }
    public string MyDestination { get; init; } = "localhost";
    public string MyNetworks { get; init; } = "127.0.0.0/8 [::1]/128";
    public string RelayDomains { get; init; } = "";
    /// <summary>virtual_alias_domains (Postfix default: $virtual_alias_maps).</summary>
    public string VirtualAliasDomains { get; init; } = "";
    /// <summary>virtual_mailbox_domains (Postfix default: $virtual_mailbox_maps).</summary>
    public string VirtualMailboxDomains { get; init; } = "";
    /// <summary>inet_interfaces + proxy_interfaces as addresses (what "user@[addr]" must name to be local).</summary>
    public IReadOnlyList<IPAddress> InterfaceAddresses { get; init; } = [IPAddress.Loopback, IPAddress.IPv6Loopback];
    public string ParentDomainMatchesSubdomains { get; init; } =
        "debug_peer_list,fast_flush_domains,mynetworks,permit_mx_backup_networks,qmqpd_authorized_clients,relay_domains,smtpd_access_maps";

    public string SmtpdClientRestrictions { get; init; } = "";
    public string SmtpdHeloRestrictions { get; init; } = "";
    public string SmtpdSenderRestrictions { get; init; } = "";
    public string SmtpdRelayRestrictions { get; init; } = "permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination";
    public string SmtpdRecipientRestrictions { get; init; } = "";
    public string SmtpdDataRestrictions { get; init; } = "";
    public string SmtpdEndOfDataRestrictions { get; init; } = "";
    public string SmtpdEtrnRestrictions { get; init; } = "";
    /// <summary>smtpd_restriction_classes names with each class's restriction list (the class parameter's value).</summary>
    public IReadOnlyDictionary<string, string> SmtpdRestrictionClasses { get; init; } = new Dictionary<string, string>();

    public bool SmtpdDelayReject { get; init; } = true;
    public bool SmtpdRelayBeforeRecipientRestrictions { get; init; } = true;
    public bool AllowUntrustedRouting { get; init; }
    public bool SwapBangpath { get; init; } = true;
    public bool AllowPercentHack { get; init; } = true;
    public bool ResolveDequotedAddress { get; init; } = true;
    public bool ResolveNullDomain { get; init; }
    public bool ResolveNumericDomain { get; init; }
    public bool SmtpdRejectUnlistedRecipient { get; init; } = true;
    public bool SmtpdRejectUnlistedSender { get; init; }
    public bool ShowUserUnknownTableName { get; init; } = true;
    public bool SoftBounce { get; init; }

    public int RejectCode { get; init; } = 554;
    public int DeferCode { get; init; } = 450;
    public int RelayDomainsRejectCode { get; init; } = 554;
    public int AccessMapRejectCode { get; init; } = 554;
    public int AccessMapDeferCode { get; init; } = 450;
    public int NonFqdnRejectCode { get; init; } = 504;
    public int InvalidHostnameRejectCode { get; init; } = 501;
    public int UnknownAddressRejectCode { get; init; } = 450;
    public int UnknownClientRejectCode { get; init; } = 450;
    public int UnknownHostnameRejectCode { get; init; } = 450;
    public int UnknownLocalRecipientRejectCode { get; init; } = 550;
    public int UnknownVirtualAliasRejectCode { get; init; } = 550;
    public int UnknownVirtualMailboxRejectCode { get; init; } = 550;
    public int UnknownRelayRecipientRejectCode { get; init; } = 550;
    public int MultiRecipientBounceRejectCode { get; init; } = 550;
    public int PlaintextRejectCode { get; init; } = 450;
    /// <summary>reject_tempfail_action and its per-check forms: "defer_if_permit" (default) or "defer".</summary>
    public string RejectTempfailAction { get; init; } = "defer_if_permit";

    /// <summary>local_recipient_maps; empty turns the local check off (Postfix default: proxy:unix:passwd.byname $alias_maps).</summary>
    public string LocalRecipientMaps { get; init; } = "";
    /// <summary>alias_maps: the tables among local_recipient_maps that are read in aliases(5) syntax when unbuilt.</summary>
    public string AliasMaps { get; init; } = "";
    public string VirtualAliasMaps { get; init; } = "";
    public string VirtualMailboxMaps { get; init; } = "";
    public string RelayRecipientMaps { get; init; } = "";
    public string CanonicalMaps { get; init; } = "";
    public string SenderCanonicalMaps { get; init; } = "";
    public string RecipientCanonicalMaps { get; init; } = "";
    public string RecipientDelimiter { get; init; } = "";
    public string SmtpdNullAccessLookupKey { get; init; } = "<>";
    public string DoubleBounceSender { get; init; } = "double-bounce";
    public string EmptyAddressRecipient { get; init; } = "MAILER-DAEMON";

    public int VirtualAliasRecursionLimit { get; init; } = 1000;
    public int VirtualAliasExpansionLimit { get; init; } = 1000;
    public string PropagateUnmatchedExtensions { get; init; } = "canonical, virtual";
    /// <summary>always_bcc: one address added to every message.</summary>
    public string AlwaysBcc { get; init; } = "";
    public string SenderBccMaps { get; init; } = "";
}

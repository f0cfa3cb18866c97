using Mta.Smtp.Policy;

namespace Mta.Delivery.Routing;

/// <summary>
/// What trivial-rewrite's resolve service reads from main.cf, bound once by <see cref="RoutingSettingsBinder"/>.
/// Transports are the raw "transport[:nexthop]" parameter values; tables are "type:name" references.
/// </summary>
public sealed record RoutingSettings
{
    /// <summary>The address classes and routing-operator switches, shared with smtpd's relay decisions.</summary>
    public required ResolverSettings Resolver { get; init; }

    public required string MyHostname { get; init; }
    public required string MyOrigin { get; init; }
    public string MyDomain { get; init; } = "localdomain";
    public bool AppendAtMyorigin { get; init; } = true;
    public bool AppendDotMydomain { get; init; }

    /// <summary>local_transport (default "local:$myhostname").</summary>
    public required string LocalTransport { get; init; }
    public string VirtualTransport { get; init; } = "virtual";
    public string RelayTransport { get; init; } = "relay";
    public string DefaultTransport { get; init; } = "smtp";
    public string Relayhost { get; init; } = "";

    public IReadOnlyList<string> TransportMaps { get; init; } = [];
    /// <summary>transport_maps is listed in parent_domain_matches_subdomains: "example.com" also matches subdomains.</summary>
    public bool TransportMapsParentStyle { get; init; }
    public IReadOnlyList<string> RelocatedMaps { get; init; } = [];
    public bool RelocatedPrefixEnable { get; init; } = true;

    public string RecipientDelimiter { get; init; } = "";
    public bool AllowMinUser { get; init; }
    public bool ShowUserUnknownTableName { get; init; } = true;

    /// <summary>config_directory, for the "file DIR/main.cf: parameter ..." warning.</summary>
    public string ConfigDirectory { get; init; } = "/etc/postfix";
}

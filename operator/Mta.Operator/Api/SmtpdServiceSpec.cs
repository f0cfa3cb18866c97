using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>The Service in front of smtpd.</summary>
public sealed class SmtpdServiceSpec
{
    /// <summary>ClusterIP, NodePort or LoadBalancer.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "ClusterIP";

    [JsonPropertyName("ports")]
    public SmtpdPortsSpec Ports { get; set; } = new();

    /// <summary>Cluster or Local; Local keeps the client's source address (SPF, RBL checks). NodePort/LoadBalancer only.</summary>
    [JsonPropertyName("externalTrafficPolicy")]
    public string? ExternalTrafficPolicy { get; set; }

    /// <summary>Expect a HAProxy PROXY protocol header: smtpd_upstream_proxy_protocol = haproxy.</summary>
    [JsonPropertyName("proxyProtocol")]
    public bool ProxyProtocol { get; set; }

    /// <summary>Annotations for the Service (cloud load balancer settings).</summary>
    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }
}

using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>Prometheus Operator objects, rendered only when their CRDs are served.</summary>
public sealed class MonitoringSpec
{
    [JsonPropertyName("serviceMonitor")]
    public bool ServiceMonitor { get; set; }

    [JsonPropertyName("prometheusRule")]
    public bool PrometheusRule { get; set; }

    /// <summary>Extra labels on the ServiceMonitor and PrometheusRule (e.g. release: kube-prometheus-stack).</summary>
    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; set; }
}

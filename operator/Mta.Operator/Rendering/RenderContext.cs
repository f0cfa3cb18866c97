namespace Mta.Operator.Rendering;

/// <summary>
/// What the cluster offers, found by discovery before rendering, so the renderer stays a pure function.
/// </summary>
public sealed record RenderContext
{
    /// <summary>custom.metrics.k8s.io serves Pods metrics (prometheus-adapter): smtpd may scale on mta_smtpd_active_sessions.</summary>
    public bool CustomMetricsAvailable { get; init; }

    /// <summary>external.metrics.k8s.io is served: delivery may scale on mta_queue_messages{queue="active"}.</summary>
    public bool ExternalMetricsAvailable { get; init; }

    /// <summary>scaledobjects.keda.sh is served: delivery queue-depth scaling uses a KEDA ScaledObject.</summary>
    public bool KedaAvailable { get; init; }

    /// <summary>Prometheus address KEDA's prometheus trigger queries, e.g. http://prometheus-operated.monitoring:9090. Required for the KEDA path.</summary>
    public string? PrometheusServerAddress { get; init; }

    /// <summary>servicemonitors.monitoring.coreos.com is served.</summary>
    public bool ServiceMonitorAvailable { get; init; }

    /// <summary>prometheusrules.monitoring.coreos.com is served.</summary>
    public bool PrometheusRuleAvailable { get; init; }

    /// <summary>A cluster without any of the optional APIs.</summary>
    public static RenderContext Minimal { get; } = new();
}

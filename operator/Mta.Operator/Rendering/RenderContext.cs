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

    /// <summary>
    /// The context for a cluster whose discovery (/api, /apis) lists these group versions and resources.
    /// </summary>
    /// <param name="served">Served resources as (groupVersion, plural), e.g. ("keda.sh/v1alpha1", "scaledobjects").
    /// For the metrics APIs the group version alone counts (their resource lists may be empty until metrics exist).</param>
    /// <param name="prometheusServerAddress">Where KEDA's prometheus trigger should query; null disables the KEDA path.</param>
    public static RenderContext FromDiscovery(IEnumerable<(string GroupVersion, string Plural)> served, string? prometheusServerAddress = null)
    {
        var set = served.ToHashSet();
        var groups = set.Select(s => s.GroupVersion.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        return new RenderContext
        {
            CustomMetricsAvailable = groups.Contains("custom.metrics.k8s.io"),
            ExternalMetricsAvailable = groups.Contains("external.metrics.k8s.io"),
            KedaAvailable = set.Contains(("keda.sh/v1alpha1", "scaledobjects")),
            PrometheusServerAddress = prometheusServerAddress,
            ServiceMonitorAvailable = set.Contains(("monitoring.coreos.com/v1", "servicemonitors")),
            PrometheusRuleAvailable = set.Contains(("monitoring.coreos.com/v1", "prometheusrules")),
        };
    }
}

using k8s;
using k8s.Models;

namespace Mta.Deploy.Tests;

// Typed models for the prometheus-operator kinds the chart renders (KubernetesClient has none), with the
// fields of monitoring.coreos.com/v1 that a chart may use, so the strict parse rejects misspelt fields.

public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public V1ObjectMeta Metadata { get; set; } = new();
    public ServiceMonitorSpec Spec { get; set; } = new();
}

public sealed class ServiceMonitorSpec
{
    public V1LabelSelector Selector { get; set; } = new();
    public NamespaceSelector? NamespaceSelector { get; set; }
    public List<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
    public string? JobLabel { get; set; }
    public List<string>? TargetLabels { get; set; }
    public List<string>? PodTargetLabels { get; set; }
}

public sealed class NamespaceSelector
{
    public bool? Any { get; set; }
    public List<string>? MatchNames { get; set; }
}

public sealed class ServiceMonitorEndpoint
{
    public string? Port { get; set; }
    public string? Path { get; set; }
    public string? Scheme { get; set; }
    public string? Interval { get; set; }
    public string? ScrapeTimeout { get; set; }
    public bool? HonorLabels { get; set; }
    public bool? HonorTimestamps { get; set; }
}

public sealed class PrometheusRule : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public V1ObjectMeta Metadata { get; set; } = new();
    public PrometheusRuleSpec Spec { get; set; } = new();
}

public sealed class PrometheusRuleSpec
{
    public List<RuleGroup> Groups { get; set; } = [];
}

public sealed class RuleGroup
{
    public string Name { get; set; } = "";
    public string? Interval { get; set; }
    public List<Rule> Rules { get; set; } = [];
}

public sealed class Rule
{
    public string? Alert { get; set; }
    public string? Record { get; set; }
    public string Expr { get; set; } = "";
    public string? For { get; set; }
    public string? KeepFiringFor { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}

namespace Mta.Operator.Rendering;

/// <summary>A kind of object the renderer may produce: what the controller watches, prunes and needs RBAC for.</summary>
/// <param name="Group">API group, "" for core.</param>
/// <param name="Version">API version within the group.</param>
/// <param name="Kind">Kind, as in the object's "kind".</param>
/// <param name="Plural">Resource name in URLs and RBAC rules.</param>
/// <param name="Optional">Only rendered when the cluster serves it (see <see cref="RenderContext"/>).</param>
public sealed record OwnedKind(string Group, string Version, string Kind, string Plural, bool Optional = false)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Every kind a MailServer can own, in the renderer's apply order.</summary>
    public static IReadOnlyList<OwnedKind> All { get; } =
    [
        new("", "v1", "ConfigMap", "configmaps"),
        new("", "v1", "Service", "services"),
        new("apps", "v1", "StatefulSet", "statefulsets"),
        new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims"),
        new("apps", "v1", "Deployment", "deployments"),
        new("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers"),
        new("keda.sh", "v1alpha1", "ScaledObject", "scaledobjects", Optional: true),
        new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets"),
        new("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies"),
        new("monitoring.coreos.com", "v1", "ServiceMonitor", "servicemonitors", Optional: true),
        new("monitoring.coreos.com", "v1", "PrometheusRule", "prometheusrules", Optional: true),
    ];
}

using System.Text.Json.Nodes;

namespace Mta.Operator.Tests.FakeApi;

/// <summary>
/// The resources the fake serves, and the discovery documents (/api, /apis, /apis/G/V) derived from them.
/// Tests add CRD-backed resources (e.g. servicemonitors) to make discovery report them as served.
/// </summary>
public sealed class FakeResourceCatalog
{
    private readonly List<FakeResource> resources = [];
    private readonly Lock gate = new();

    public static readonly FakeResource MailServers = new("mta.dev", "v1alpha1", "mailservers", "MailServer", HasStatus: true);
    public static readonly FakeResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap");
    public static readonly FakeResource Secrets = new("", "v1", "secrets", "Secret");
    public static readonly FakeResource Services = new("", "v1", "services", "Service", HasStatus: true);
    public static readonly FakeResource PersistentVolumeClaims = new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", HasStatus: true);
    public static readonly FakeResource CoreEvents = new("", "v1", "events", "Event");
    public static readonly FakeResource Deployments = new("apps", "v1", "deployments", "Deployment", HasStatus: true);
    public static readonly FakeResource StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet", HasStatus: true);
    public static readonly FakeResource HorizontalPodAutoscalers = new("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", HasStatus: true);
    public static readonly FakeResource PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", HasStatus: true);
    public static readonly FakeResource NetworkPolicies = new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy");
    public static readonly FakeResource Leases = new("coordination.k8s.io", "v1", "leases", "Lease");
    public static readonly FakeResource Events = new("events.k8s.io", "v1", "events", "Event");
    public static readonly FakeResource ServiceMonitors = new("monitoring.coreos.com", "v1", "servicemonitors", "ServiceMonitor");
    public static readonly FakeResource PrometheusRules = new("monitoring.coreos.com", "v1", "prometheusrules", "PrometheusRule");
    public static readonly FakeResource ScaledObjects = new("keda.sh", "v1alpha1", "scaledobjects", "ScaledObject", HasStatus: true);

    /// <summary>The built-in kinds plus the MailServer CRD; optional CRDs (monitoring, KEDA) are added by tests.</summary>
    public FakeResourceCatalog()
    {
        resources.AddRange([MailServers, ConfigMaps, Secrets, Services, PersistentVolumeClaims, CoreEvents, Deployments, StatefulSets,
            HorizontalPodAutoscalers, PodDisruptionBudgets, NetworkPolicies, Leases, Events]);
    }

    public void Serve(FakeResource resource)
    {
        lock (gate)
        {
            if (!resources.Contains(resource)) resources.Add(resource);
        }
    }

    public FakeResource? Find(string group, string version, string plural)
    {
        lock (gate) return resources.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);
    }

    public FakeResource? FindByKind(string apiVersion, string kind)
    {
        lock (gate) return resources.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind);
    }

    public bool Serves(string group, string version)
    {
        lock (gate) return resources.Any(r => r.Group == group && r.Version == version);
    }

    /// <summary>GET /api: the core group's versions.</summary>
    public JsonObject CoreVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(),
    };

    /// <summary>GET /apis: every named group and its versions.</summary>
    public JsonObject GroupList()
    {
        var groups = new JsonArray();
        lock (gate)
        {
            foreach (var byGroup in resources.Where(r => r.Group.Length > 0).GroupBy(r => r.Group))
            {
                var versions = new JsonArray();
                foreach (var v in byGroup.Select(r => r.Version).Distinct())
                    versions.Add(new JsonObject { ["groupVersion"] = $"{byGroup.Key}/{v}", ["version"] = v });
                var preferred = byGroup.First().Version;
                groups.Add(new JsonObject
                {
                    ["name"] = byGroup.Key,
                    ["versions"] = versions,
                    ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{byGroup.Key}/{preferred}", ["version"] = preferred },
                });
            }
        }
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    /// <summary>GET /api/v1 or /apis/G/V: the resources of one group version.</summary>
    public JsonObject ResourceList(string group, string version)
    {
        var list = new JsonArray();
        lock (gate)
        {
            foreach (var r in resources.Where(r => r.Group == group && r.Version == version))
            {
                list.Add(new JsonObject
                {
                    ["name"] = r.Plural, ["singularName"] = r.Kind.ToLowerInvariant(), ["namespaced"] = r.Namespaced, ["kind"] = r.Kind,
                    ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
                });
                if (r.HasStatus)
                    list.Add(new JsonObject { ["name"] = r.Plural + "/status", ["singularName"] = "", ["namespaced"] = r.Namespaced, ["kind"] = r.Kind, ["verbs"] = new JsonArray("get", "patch", "update") });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList", ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}", ["resources"] = list,
        };
    }
}

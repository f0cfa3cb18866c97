using Mta.Operator.Rendering;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Mta.Operator.Controller;

/// <summary>
/// The kinds the renderer emits, each bound to the client's typed calls (the custom kinds go through CustomObjects).
/// PersistentVolumeClaims are applied but never pruned: they hold mailboxes.
/// </summary>
public static class ChildKinds
{
    /// <summary>The one field manager the operator applies with; never rename it (ownership is recorded under it).</summary>
    public const string FieldManager = "mta-operator";

    public static IReadOnlyList<ChildKind> All { get; } =
    [
        Typed<V1ConfigMap, V1ConfigMapList>("v1", "ConfigMap", "configmaps",
            (k, b, n, ns, ct) => k.CoreV1.PatchNamespacedConfigMapAsync(b, n, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, n, ns, ct) => k.CoreV1.DeleteNamespacedConfigMapAsync(n, ns, cancellationToken: ct),
            (k, ns, sel, ct) => ns is null ? k.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: sel, cancellationToken: ct) : k.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: sel, cancellationToken: ct),
            (k, ns, sel, rv, t, err, ct) => ns is null
                ? k.CoreV1.WatchListConfigMapForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)
                : k.CoreV1.WatchListNamespacedConfigMapAsync(ns, allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)),
        Typed<V1Service, V1ServiceList>("v1", "Service", "services",
            (k, b, n, ns, ct) => k.CoreV1.PatchNamespacedServiceAsync(b, n, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, n, ns, ct) => k.CoreV1.DeleteNamespacedServiceAsync(n, ns, cancellationToken: ct),
            (k, ns, sel, ct) => ns is null ? k.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: sel, cancellationToken: ct) : k.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: sel, cancellationToken: ct),
            (k, ns, sel, rv, t, err, ct) => ns is null
                ? k.CoreV1.WatchListServiceForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)
                : k.CoreV1.WatchListNamespacedServiceAsync(ns, allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)),
        Typed<V1Deployment, V1DeploymentList>("apps/v1", "Deployment", "deployments",
            (k, b, n, ns, ct) => k.AppsV1.PatchNamespacedDeploymentAsync(b, n, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, n, ns, ct) => k.AppsV1.DeleteNamespacedDeploymentAsync(n, ns, cancellationToken: ct),
            (k, ns, sel, ct) => ns is null ? k.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: sel, cancellationToken: ct) : k.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: sel, cancellationToken: ct),
            (k, ns, sel, rv, t, err, ct) => ns is null
                ? k.AppsV1.WatchListDeploymentForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)
                : k.AppsV1.WatchListNamespacedDeploymentAsync(ns, allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)),
        Typed<V1StatefulSet, V1StatefulSetList>("apps/v1", "StatefulSet", "statefulsets",
            (k, b, n, ns, ct) => k.AppsV1.PatchNamespacedStatefulSetAsync(b, n, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, n, ns, ct) => k.AppsV1.DeleteNamespacedStatefulSetAsync(n, ns, cancellationToken: ct),
            (k, ns, sel, ct) => ns is null ? k.AppsV1.ListStatefulSetForAllNamespacesAsync(labelSelector: sel, cancellationToken: ct) : k.AppsV1.ListNamespacedStatefulSetAsync(ns, labelSelector: sel, cancellationToken: ct),
            (k, ns, sel, rv, t, err, ct) => ns is null
                ? k.AppsV1.WatchListStatefulSetForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)
                : k.AppsV1.WatchListNamespacedStatefulSetAsync(ns, allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)),
        Typed<V2HorizontalPodAutoscaler, V2HorizontalPodAutoscalerList>("autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
            (k, b, n, ns, ct) => k.AutoscalingV2.PatchNamespacedHorizontalPodAutoscalerAsync(b, n, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, n, ns, ct) => k.AutoscalingV2.DeleteNamespacedHorizontalPodAutoscalerAsync(n, ns, cancellationToken: ct),
            (k, ns, sel, ct) => ns is null ? k.AutoscalingV2.ListHorizontalPodAutoscalerForAllNamespacesAsync(labelSelector: sel, cancellationToken: ct) : k.AutoscalingV2.ListNamespacedHorizontalPodAutoscalerAsync(ns, labelSelector: sel, cancellationToken: ct),
            (k, ns, sel, rv, t, err, ct) => ns is null
                ? k.AutoscalingV2.WatchListHorizontalPodAutoscalerForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)
                : k.AutoscalingV2.WatchListNamespacedHorizontalPodAutoscalerAsync(ns, allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)),
        Typed<V1PodDisruptionBudget, V1PodDisruptionBudgetList>("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets",
            (k, b, n, ns, ct) => k.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(b, n, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, n, ns, ct) => k.PolicyV1.DeleteNamespacedPodDisruptionBudgetAsync(n, ns, cancellationToken: ct),
            (k, ns, sel, ct) => ns is null ? k.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(labelSelector: sel, cancellationToken: ct) : k.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(ns, labelSelector: sel, cancellationToken: ct),
            (k, ns, sel, rv, t, err, ct) => ns is null
                ? k.PolicyV1.WatchListPodDisruptionBudgetForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)
                : k.PolicyV1.WatchListNamespacedPodDisruptionBudgetAsync(ns, allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)),
        Typed<V1NetworkPolicy, V1NetworkPolicyList>("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies",
            (k, b, n, ns, ct) => k.NetworkingV1.PatchNamespacedNetworkPolicyAsync(b, n, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, n, ns, ct) => k.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(n, ns, cancellationToken: ct),
            (k, ns, sel, ct) => ns is null ? k.NetworkingV1.ListNetworkPolicyForAllNamespacesAsync(labelSelector: sel, cancellationToken: ct) : k.NetworkingV1.ListNamespacedNetworkPolicyAsync(ns, labelSelector: sel, cancellationToken: ct),
            (k, ns, sel, rv, t, err, ct) => ns is null
                ? k.NetworkingV1.WatchListNetworkPolicyForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)
                : k.NetworkingV1.WatchListNamespacedNetworkPolicyAsync(ns, allowWatchBookmarks: true, labelSelector: sel, resourceVersion: rv, timeoutSeconds: t, onError: err, cancellationToken: ct)),
        new ChildKind("v1", "PersistentVolumeClaim", "persistentvolumeclaims", Watched: false, Prunable: false,
            async (k, b, n, ns, ct) => await k.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(b, n, ns, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            (k, n, ns, ct) => k.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(n, ns, cancellationToken: ct),
            async (k, ns, sel, ct) => (await k.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, labelSelector: sel, cancellationToken: ct).ConfigureAwait(false)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
            null),
        Custom("monitoring.coreos.com/v1", "ServiceMonitor", "servicemonitors"),
        Custom("monitoring.coreos.com/v1", "PrometheusRule", "prometheusrules"),
        Custom("keda.sh/v1alpha1", "ScaledObject", "scaledobjects"),
    ];

    public static ChildKind? Find(string apiVersion, string kind) => All.FirstOrDefault(c => c.ApiVersion == apiVersion && c.Kind == kind);

    private static ChildKind Typed<T, TList>(string apiVersion, string kind, string plural,
        Func<IKubernetes, V1Patch, string, string, CancellationToken, Task<T>> apply,
        Func<IKubernetes, string, string, CancellationToken, Task> delete,
        Func<IKubernetes, string?, string, CancellationToken, Task<TList>> list,
        Func<IKubernetes, string?, string, string, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch)
        where T : class, IKubernetesObject<V1ObjectMeta>
        where TList : IItems<T>, IMetadata<V1ListMeta>
    {
        return new ChildKind(apiVersion, kind, plural, Watched: true, Prunable: true,
            async (k, b, n, ns, ct) => await apply(k, b, n, ns, ct).ConfigureAwait(false),
            delete,
            async (k, ns, sel, ct) => (await list(k, ns, sel, ct).ConfigureAwait(false)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
            (k, ns, sel) => new ListWatchSource<IKubernetesObject<V1ObjectMeta>>(kind,
                async ct =>
                {
                    var result = await list(k, ns, sel, ct).ConfigureAwait(false);
                    return (result.Items.ToList<IKubernetesObject<V1ObjectMeta>>(), result.Metadata.ResourceVersion);
                },
                (rv, timeout, onError, ct) => Upcast(watch(k, ns, sel, rv, timeout, onError, ct))));
    }

    private static async IAsyncEnumerable<(WatchEventType, IKubernetesObject<V1ObjectMeta>)> Upcast<T>(IAsyncEnumerable<(WatchEventType, T)> events)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        await foreach (var (type, obj) in events.ConfigureAwait(false)) yield return (type, obj);
    }

    private static ChildKind Custom(string apiVersion, string kind, string plural)
    {
        var group = apiVersion[..apiVersion.IndexOf('/')];
        var version = apiVersion[(apiVersion.IndexOf('/') + 1)..];
        return new ChildKind(apiVersion, kind, plural, Watched: false, Prunable: true,
            (k, b, n, ns, ct) => k.CustomObjects.PatchNamespacedCustomObjectAsync(b, group, version, ns, plural, n, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, n, ns, ct) => k.CustomObjects.DeleteNamespacedCustomObjectAsync(group, version, ns, plural, n, cancellationToken: ct),
            async (k, ns, sel, ct) =>
            {
                var list = await k.CustomObjects.ListNamespacedCustomObjectAsync(group, version, ns, plural, labelSelector: sel, cancellationToken: ct).ConfigureAwait(false);
                var items = ((JsonElement)list).GetProperty("items");
                return items.EnumerateArray().Select(i => (IKubernetesObject<V1ObjectMeta>)KubernetesJson.Deserialize<GenericResource>(i.GetRawText())).ToList();
            },
            null);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Mta.Operator.Api;
using Mta.Operator.Rendering;

namespace Mta.Operator.Controller;

/// <summary>
/// One level-triggered pass over a MailServer: read it, render its children, server-side apply them (field manager
/// mta-operator, forced), prune children no longer wanted, and write status only when it changed. An invalid
/// configuration applies nothing, so the running configuration stays, and reports ConfigValid=False.
/// </summary>
public sealed class MailServerReconciler(
    IKubernetes kube,
    Func<MailServer, RenderContext, RenderResult> render,
    ClusterCapabilities capabilities,
    IQueueProbe? queueProbe,
    EventRecorder events,
    OperatorMetrics metrics,
    OperatorOptions options,
    TimeProvider time,
    ILogger logger)
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        MailServer ms;
        try
        {
            ms = MailServerSource.Parse(await kube.CustomObjects.GetNamespacedCustomObjectAsync(
                MailServer.Group, MailServer.Version, key.Namespace, MailServer.Plural, key.Name, ct).ConfigureAwait(false));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            Forget(key);
            return ReconcileResult.Done; // deleted: garbage collection removes the children through their owner references
        }
        if (ms.Metadata.DeletionTimestamp is not null) return ReconcileResult.Done;

        var context = await capabilities.GetAsync(ct).ConfigureAwait(false);
        var rendered = render(ms, context);
        if (rendered.ConfigValid)
        {
            foreach (var child in rendered.Objects) await ApplyAsync(ms, child, ct).ConfigureAwait(false);
            await PruneAsync(ms, rendered.Objects, ct).ConfigureAwait(false);
        }
        else
        {
            logger.LogWarning("MailServer {Key} has an invalid configuration, nothing applied: {Error}", key, rendered.ConfigError);
        }

        var deployments = (await kube.AppsV1.ListNamespacedDeploymentAsync(key.Namespace, labelSelector: InstanceSelector(ms), cancellationToken: ct).ConfigureAwait(false))
            .Items.Where(d => IsOwnedBy(d, ms)).ToList();
        var probe = queueProbe is null ? null : await queueProbe.ProbeAsync(ms, ct).ConfigureAwait(false);
        var now = time.GetUtcNow().UtcDateTime;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)); // metav1.Time has whole seconds
        var status = StatusBuilder.Build(ms, rendered, deployments, probe, now);
        if (!SameStatus(ms.Status, status))
        {
            await WriteStatusAsync(ms, status, ct).ConfigureAwait(false);
            await RecordTransitionsAsync(ms, ms.Status, status, ct).ConfigureAwait(false);
        }

        metrics.ConfigValid.WithLabels(key.Namespace, key.Name).Set(rendered.ConfigValid ? 1 : 0);
        metrics.Ready.WithLabels(key.Namespace, key.Name).Set(Conditions.IsTrue(status, ConditionTypes.Ready) ? 1 : 0);
        return ReconcileResult.After(options.ResyncPeriod);
    }

    public static string InstanceSelector(MailServer ms) =>
        $"app.kubernetes.io/managed-by={ObjectFactory.ManagedBy},app.kubernetes.io/instance={ms.Metadata.Name}";

    public static bool IsOwnedBy(IKubernetesObject<V1ObjectMeta> child, MailServer ms) =>
        child.Metadata.OwnerReferences?.Any(o => o.Uid == ms.Metadata.Uid && o.Controller == true) == true;

    private void Forget(ObjectKey key)
    {
        metrics.ConfigValid.RemoveLabelled(key.Namespace, key.Name);
        metrics.Ready.RemoveLabelled(key.Namespace, key.Name);
    }

    private async Task ApplyAsync(MailServer ms, IKubernetesObject<V1ObjectMeta> child, CancellationToken ct)
    {
        var kind = ChildKinds.Find(child.ApiVersion, child.Kind)
            ?? throw new InvalidOperationException($"the renderer produced {child.ApiVersion} {child.Kind}, which the controller cannot apply");
        var body = ApplyConfiguration(ms, child);
        await kind.Apply(kube, new V1Patch(body, V1Patch.PatchType.ApplyPatch), child.Metadata.Name, ms.Metadata.NamespaceProperty, ct).ConfigureAwait(false);
    }

    /// <summary>The apply body: only the fields we own (no status, no server-set metadata), always with our controller reference.</summary>
    public static string ApplyConfiguration(MailServer ms, IKubernetesObject<V1ObjectMeta> child)
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(child))!.AsObject();
        json.Remove("status");
        var meta = json["metadata"] as JsonObject ?? (JsonObject)(json["metadata"] = new JsonObject());
        foreach (var serverSet in new[] { "resourceVersion", "uid", "managedFields", "creationTimestamp", "generation" }) meta.Remove(serverSet);
        meta["namespace"] = ms.Metadata.NamespaceProperty;
        if (!IsOwnedBy(child, ms))
        {
            var refs = meta["ownerReferences"] as JsonArray ?? (JsonArray)(meta["ownerReferences"] = new JsonArray());
            refs.Add(JsonNode.Parse(KubernetesJson.Serialize(new ObjectFactory(ms).OwnerReference())));
        }
        return json.ToJsonString();
    }

    /// <summary>Deletes children carrying our labels and controller reference that the render no longer wants.</summary>
    private async Task PruneAsync(MailServer ms, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> wanted, CancellationToken ct)
    {
        var keep = wanted.Select(o => (o.ApiVersion, o.Kind, o.Metadata.Name)).ToHashSet();
        foreach (var kind in ChildKinds.All.Where(k => k.Prunable))
        {
            if (!await capabilities.ServesGroupAsync(kind.Group, ct).ConfigureAwait(false)) continue;
            var existing = await kind.List(kube, ms.Metadata.NamespaceProperty, InstanceSelector(ms), ct).ConfigureAwait(false);
            foreach (var child in existing.Where(c => IsOwnedBy(c, ms) && !keep.Contains((kind.ApiVersion, kind.Kind, c.Metadata.Name))))
            {
                logger.LogInformation("Pruning {Kind} {Namespace}/{Name}: no longer wanted by MailServer {MailServer}", kind.Kind, ms.Metadata.NamespaceProperty, child.Metadata.Name, ms.Metadata.Name);
                try
                {
                    await kind.Delete(kube, child.Metadata.Name, ms.Metadata.NamespaceProperty, ct).ConfigureAwait(false);
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { }
            }
        }
    }

    /// <summary>PUT /status with the resourceVersion we read: a concurrent change answers 409 and the key is retried.</summary>
    private async Task WriteStatusAsync(MailServer ms, MailServerStatus status, CancellationToken ct)
    {
        var update = new MailServer { Metadata = ms.Metadata, Spec = ms.Spec, Status = status };
        await kube.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(update, MailServer.Group, MailServer.Version,
            ms.Metadata.NamespaceProperty, MailServer.Plural, ms.Metadata.Name, fieldManager: ChildKinds.FieldManager, cancellationToken: ct).ConfigureAwait(false);
    }

    private async Task RecordTransitionsAsync(MailServer ms, MailServerStatus? before, MailServerStatus after, CancellationToken ct)
    {
        var wasValid = Conditions.Find(before, ConditionTypes.ConfigValid)?.Status;
        var valid = Conditions.Find(after, ConditionTypes.ConfigValid)!;
        if (valid.Status != wasValid)
        {
            if (valid.Status == "False")
                await events.RecordAsync(ms, EventRecorder.Warning, "InvalidConfig", "Validate", valid.Message, ct).ConfigureAwait(false);
            else if (wasValid == "False")
                await events.RecordAsync(ms, EventRecorder.Normal, "ConfigValid", "Validate", "The configuration is valid again and was applied.", ct).ConfigureAwait(false);
        }
        var wasReady = Conditions.Find(before, ConditionTypes.Ready)?.Status;
        var ready = Conditions.Find(after, ConditionTypes.Ready)!;
        if (ready.Status == wasReady) return;
        if (ready.Status == "True")
            await events.RecordAsync(ms, EventRecorder.Normal, "Ready", "Reconcile", ready.Message, ct).ConfigureAwait(false);
        else if (wasReady == "True")
            await events.RecordAsync(ms, EventRecorder.Warning, "NotReady", "Reconcile", ready.Message, ct).ConfigureAwait(false);
    }

    private static bool SameStatus(MailServerStatus? a, MailServerStatus b) =>
        a is not null && JsonNode.DeepEquals(JsonNode.Parse(KubernetesJson.Serialize(a)), JsonNode.Parse(KubernetesJson.Serialize(b)));
}

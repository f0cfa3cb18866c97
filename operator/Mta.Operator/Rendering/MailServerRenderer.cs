using k8s;
using k8s.Models;
using Mta.Operator.Api;

namespace Mta.Operator.Rendering;

/// <summary>
/// The pure function from a MailServer (and what the cluster serves) to every object it owns. No I/O, no
/// clock: equal inputs give equal objects, so reconciling is "render, then apply what differs".
/// </summary>
public static class MailServerRenderer
{
    public static RenderResult Render(MailServer ms, RenderContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ms);
        ArgumentNullException.ThrowIfNull(ctx);

        var specError = SpecChecks.FirstError(ms);
        if (specError is not null)
            return RenderResult.Invalid(specError);

        var mainCf = MainCfRenderer.Render(ms);
        var masterCfs = TierNames.All.ToDictionary(t => t, t => MasterCfRenderer.Render(ms, t));
        var validation = RenderedConfigValidator.Validate(mainCf, masterCfs);
        if (!validation.IsValid)
            return RenderResult.Invalid(validation.Error!);

        var aliases = AliasesRenderer.Render(ms.Spec);
        var f = new ObjectFactory(ms);
        var warnings = new List<string>(validation.Warnings);
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        var tierHashes = new Dictionary<Tier, string>();

        foreach (var tier in TierNames.All)
        {
            var data = new Dictionary<string, string> { ["main.cf"] = mainCf, ["master.cf"] = masterCfs[tier] };
            if (aliases is not null)
                data["aliases"] = aliases;
            tierHashes[tier] = ConfigHash.Of(data);
            objects.Add(new V1ConfigMap
            {
                ApiVersion = "v1",
                Kind = "ConfigMap",
                Metadata = f.Metadata(f.ConfigMapName(tier), tier.Name()),
                Data = data,
            });
        }

        if (ms.Spec.Redis.Managed is { Enabled: true })
        {
            objects.Add(RedisRenderer.ConfigMap(f));
            objects.Add(RedisRenderer.Service(f));
            objects.Add(RedisRenderer.StatefulSet(f));
        }

        Add(objects, MailboxClaimRenderer.Render(f));
        objects.Add(ServiceRenderer.Smtpd(f));
        objects.Add(ServiceRenderer.Metrics(f));
        foreach (var tier in TierNames.All)
            objects.Add(DeploymentRenderer.Render(f, tier, tierHashes[tier]));

        Add(objects, AutoscalerRenderer.Smtpd(f, ctx, warnings));
        Add(objects, AutoscalerRenderer.Qmgr(f, warnings));
        Add(objects, AutoscalerRenderer.Delivery(f, ctx, warnings));
        Add(objects, DisruptionBudgetRenderer.Render(f, Tier.Smtpd, ms.Spec.Smtpd.PodDisruptionBudget));
        Add(objects, DisruptionBudgetRenderer.Render(f, Tier.Qmgr, ms.Spec.Qmgr.PodDisruptionBudget));
        Add(objects, DisruptionBudgetRenderer.Render(f, Tier.Delivery, ms.Spec.Delivery.PodDisruptionBudget));

        objects.Add(NetworkPolicyRenderer.Smtpd(f));
        objects.Add(NetworkPolicyRenderer.Workers(f));
        if (ms.Spec.Redis.Managed is { Enabled: true })
            objects.Add(NetworkPolicyRenderer.Redis(f));

        Add(objects, MonitoringRenderer.ServiceMonitor(f, ctx, warnings));
        Add(objects, MonitoringRenderer.PrometheusRule(f, ctx, warnings));

        return new RenderResult
        {
            ConfigValid = true,
            Objects = objects,
            ConfigHash = ConfigHash.Of(tierHashes.Select(h => new KeyValuePair<string, string>(h.Key.Name(), h.Value))),
            Warnings = warnings,
        };
    }

    private static void Add(List<IKubernetesObject<V1ObjectMeta>> objects, IKubernetesObject<V1ObjectMeta>? item)
    {
        if (item is not null)
            objects.Add(item);
    }
}

using k8s.Models;
using Mta.Operator.Api;
using Mta.Operator.Rendering;

namespace Mta.Operator.Controller;

/// <summary>
/// Computes a MailServer's status from what one reconcile saw: the render result, the tier Deployments as the
/// cluster reports them, and the queue probe. Pure, so "write only when changed" is a plain comparison.
/// </summary>
public static class StatusBuilder
{
    public static MailServerStatus Build(MailServer ms, RenderResult rendered, IReadOnlyList<V1Deployment> deployments, QueueProbeResult? probe, DateTime now)
    {
        var generation = ms.Metadata.Generation;
        var tiers = new Dictionary<string, TierStatus>();
        var notRolledOut = new List<string>();
        foreach (var d in deployments.OrderBy(d => d.Metadata.Name, StringComparer.Ordinal))
        {
            var component = d.Metadata.Labels?.TryGetValue("app.kubernetes.io/component", out var c) == true ? c : d.Metadata.Name;
            tiers[component] = new TierStatus { Replicas = d.Status?.Replicas ?? 0, ReadyReplicas = d.Status?.ReadyReplicas ?? 0 };
            if (!RolledOut(d)) notRolledOut.Add(d.Metadata.Name);
        }

        var conditions = new List<DesiredCondition>();
        conditions.Add(rendered.ConfigValid
            ? DesiredCondition.True(ConditionTypes.ConfigValid, "Valid", "The rendered main.cf and master.cf passed validation.")
            : DesiredCondition.False(ConditionTypes.ConfigValid, "InvalidConfig", rendered.ConfigError ?? "The rendered configuration is invalid."));

        var rolledOut = deployments.Count > 0 && notRolledOut.Count == 0;
        conditions.Add(deployments.Count == 0
            ? DesiredCondition.True(ConditionTypes.Progressing, "Creating", "The tier Deployments are being created.")
            : rolledOut
                ? DesiredCondition.False(ConditionTypes.Progressing, "RolloutComplete", "Every tier runs its desired replicas.")
                : DesiredCondition.True(ConditionTypes.Progressing, "RollingOut", "Waiting for " + string.Join(", ", notRolledOut) + "."));

        var problems = new List<string>();
        if (!rendered.ConfigValid) problems.Add("the configuration is invalid; the running configuration was kept");
        problems.AddRange(rendered.Warnings);
        conditions.Add(problems.Count == 0
            ? DesiredCondition.False(ConditionTypes.Degraded, "AsExpected", "Everything asked for is provided.")
            : DesiredCondition.True(ConditionTypes.Degraded, rendered.ConfigValid ? "FeatureUnavailable" : "InvalidConfig", Sentence(string.Join("; ", problems))));

        conditions.Add(probe switch
        {
            null => DesiredCondition.Unknown(ConditionTypes.RedisReady, "NotProbed", "The queue store is not probed by this operator."),
            { Reachable: true } => DesiredCondition.True(ConditionTypes.RedisReady, "Reachable", "The queue store answered."),
            _ => DesiredCondition.False(ConditionTypes.RedisReady, "Unreachable", Sentence("The queue store did not answer: " + probe.Error)),
        });

        conditions.Add(!rendered.ConfigValid
            ? DesiredCondition.False(ConditionTypes.Ready, "InvalidConfig", "The configuration is invalid (see ConfigValid).")
            : rolledOut
                ? DesiredCondition.True(ConditionTypes.Ready, "Available", "Every tier is available.")
                : DesiredCondition.False(ConditionTypes.Ready, "NotAvailable", "Not every tier has its ready replicas."));

        return new MailServerStatus
        {
            ObservedGeneration = generation,
            Conditions = Conditions.Merge(ms.Status?.Conditions, conditions, generation, now),
            Smtpd = tiers.GetValueOrDefault("smtpd"),
            Qmgr = tiers.GetValueOrDefault("qmgr"),
            Delivery = tiers.GetValueOrDefault("delivery"),
            Queued = probe is { Reachable: true } ? probe.Queued : ms.Status?.Queued,
            ConfigHash = rendered.ConfigValid ? rendered.ConfigHash : ms.Status?.ConfigHash,
        };
    }

    /// <summary>The Deployment controller has seen the latest template and every desired replica is updated and ready.</summary>
    public static bool RolledOut(V1Deployment d)
    {
        var desired = d.Spec?.Replicas ?? 1;
        var s = d.Status;
        return s is not null
            && (s.ObservedGeneration ?? 0) >= (d.Metadata.Generation ?? 0)
            && (s.UpdatedReplicas ?? 0) >= desired
            && (s.ReadyReplicas ?? 0) >= desired
            && (s.Replicas ?? 0) <= desired;
    }

    private static string Sentence(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..] + (s.EndsWith('.') ? "" : ".");
}

using Mta.Operator.Api;

namespace Mta.Operator.Rendering;

/// <summary>
/// The CRD's CEL rules, checked again here: the renderer must never act on a spec the API server would have
/// refused (an older CRD, or an object built in code). Messages match the CRD's.
/// </summary>
public static class SpecChecks
{
    public static string? FirstError(MailServer ms)
    {
        var spec = ms.Spec;
        if (string.IsNullOrEmpty(ms.Metadata?.Name))
            return "metadata.name is required";
        if (string.IsNullOrWhiteSpace(spec.Domain))
            return "spec.domain is required";

        var external = spec.Redis.External is not null;
        var managed = spec.Redis.Managed is { Enabled: true };
        if (external == managed)
            return "spec.redis: set exactly one of external or managed (enabled)";

        if ((spec.Smtpd.Service.Ports.Submission is not null || spec.Smtpd.Service.Ports.Submissions is not null)
            && (spec.Tls is null || spec.Sasl is null))
            return "spec.smtpd.service.ports: submission and submissions need spec.tls and spec.sasl";

        // Names are checked here rather than by CEL in the CRD: a rule over every key of an unbounded map could
        // exceed the API server's CEL cost budget. The schema keeps values to one line.
        if (spec.MainCf?.Parameters?.Keys.FirstOrDefault(k => !IsParameterName(k)) is { } badName)
            return $"spec.mainCf.parameters: \"{badName}\" is not a main.cf parameter name (lower-case letters, digits and _)";
        if (spec.MainCf?.Parameters?.FirstOrDefault(p => p.Value.Contains('\n')) is { Key: { } multiLine })
            return $"spec.mainCf.parameters.{multiLine}: the value must be one line";

        if (spec.Aliases is { Entries: not null, ConfigMapRef: not null })
            return "spec.aliases: set entries or configMapRef, not both";

        return TierError("smtpd", spec.Smtpd.Replicas, spec.Smtpd.Autoscaling, spec.Smtpd.PodDisruptionBudget)
            ?? TierError("qmgr", spec.Qmgr.Replicas, spec.Qmgr.Autoscaling, spec.Qmgr.PodDisruptionBudget)
            ?? TierError("delivery", spec.Delivery.Replicas, spec.Delivery.Autoscaling, spec.Delivery.PodDisruptionBudget);
    }

    private static bool IsParameterName(string name) =>
        name.Length > 0 && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    private static string? TierError(string tier, int? replicas, AutoscalingSpec? autoscaling, PodDisruptionBudgetSpec? pdb)
    {
        if (replicas is not null && autoscaling is { Enabled: true })
            return $"spec.{tier}: set replicas or enable autoscaling, not both";
        if (autoscaling is not null && autoscaling.MinReplicas > autoscaling.MaxReplicas)
            return $"spec.{tier}.autoscaling: minReplicas must be <= maxReplicas";
        if (pdb is { MinAvailable: not null, MaxUnavailable: not null })
            return $"spec.{tier}.podDisruptionBudget: set minAvailable or maxUnavailable, not both";
        return null;
    }
}

using k8s.Models;
using Mta.Operator.Api;

namespace Mta.Operator.Rendering;

/// <summary>A policy/v1 PodDisruptionBudget for a tier that asks for one.</summary>
public static class DisruptionBudgetRenderer
{
    public static V1PodDisruptionBudget? Render(ObjectFactory f, Tier tier, PodDisruptionBudgetSpec? spec)
    {
        if (spec is null)
            return null;

        var component = tier.Name();
        return new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = f.Metadata(f.NameFor(component), component),
            Spec = new V1PodDisruptionBudgetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = f.SelectorLabels(component) },
                MinAvailable = spec.MinAvailable,
                // Neither given: one pod at a time, the conventional default.
                MaxUnavailable = spec.MaxUnavailable ?? (spec.MinAvailable is null ? 1 : null),
            },
        };
    }
}

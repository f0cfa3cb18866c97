using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>What every tier (smtpd, qmgr, delivery) has: a replica count or an autoscaler, resources, a disruption budget.</summary>
public abstract class TierSpec<TAutoscaling> where TAutoscaling : AutoscalingSpec
{
    /// <summary>Fixed replica count; must be unset when autoscaling is enabled. The renderer uses 1 when both are unset.</summary>
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("resources")]
    public ResourcesSpec? Resources { get; set; }

    [JsonPropertyName("autoscaling")]
    public TAutoscaling? Autoscaling { get; set; }

    [JsonPropertyName("podDisruptionBudget")]
    public PodDisruptionBudgetSpec? PodDisruptionBudget { get; set; }

    /// <summary>True when an autoscaler owns this tier's replica count.</summary>
    [JsonIgnore]
    public bool IsAutoscaled => Autoscaling is { Enabled: true };
}

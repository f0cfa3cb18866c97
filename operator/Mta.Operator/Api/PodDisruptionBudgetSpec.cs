using System.Text.Json.Serialization;
using k8s.Models;

namespace Mta.Operator.Api;

/// <summary>A PodDisruptionBudget for one tier: minAvailable or maxUnavailable, not both.</summary>
public sealed class PodDisruptionBudgetSpec
{
    [JsonPropertyName("minAvailable")]
    public IntOrString? MinAvailable { get; set; }

    [JsonPropertyName("maxUnavailable")]
    public IntOrString? MaxUnavailable { get; set; }
}

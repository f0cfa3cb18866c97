using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>Horizontal autoscaling of one tier. When enabled the autoscaler owns the replica count.</summary>
public class AutoscalingSpec
{
    [JsonPropertyName("enabled")]
    public bool Enabled { get; set; }

    [JsonPropertyName("minReplicas")]
    public int MinReplicas { get; set; } = 1;

    [JsonPropertyName("maxReplicas")]
    public int MaxReplicas { get; set; } = 5;

    /// <summary>Average CPU utilisation (percent of requests) to aim for; unset leaves CPU out of the metrics.</summary>
    [JsonPropertyName("targetCPUUtilizationPercentage")]
    public int? TargetCPUUtilizationPercentage { get; set; }
}

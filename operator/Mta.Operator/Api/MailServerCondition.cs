using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>A status condition, shaped like metav1.Condition.</summary>
public sealed class MailServerCondition
{
    /// <summary>One of <see cref="ConditionTypes"/>.</summary>
    [JsonPropertyName("type")]
    [JsonRequired]
    public required string Type { get; set; }

    /// <summary>"True", "False" or "Unknown".</summary>
    [JsonPropertyName("status")]
    [JsonRequired]
    public required string Status { get; set; }

    /// <summary>CamelCase machine-readable reason.</summary>
    [JsonPropertyName("reason")]
    [JsonRequired]
    public required string Reason { get; set; }

    [JsonPropertyName("message")]
    [JsonRequired]
    public required string Message { get; set; }

    [JsonPropertyName("lastTransitionTime")]
    [JsonRequired]
    public required DateTime LastTransitionTime { get; set; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }
}

using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>Replica counts of one tier's Deployment.</summary>
public sealed class TierStatus
{
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; set; }
}

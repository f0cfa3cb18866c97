using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>A single Redis run by the operator: StatefulSet, PVC, appendonly yes, appendfsync always.</summary>
public sealed class ManagedRedisSpec
{
    [JsonPropertyName("enabled")]
    public bool Enabled { get; set; } = true;

    [JsonPropertyName("storage")]
    public StorageSpec Storage { get; set; } = new();

    [JsonPropertyName("image")]
    public string Image { get; set; } = "redis:7.4-alpine";

    [JsonPropertyName("resources")]
    public ResourcesSpec? Resources { get; set; }
}

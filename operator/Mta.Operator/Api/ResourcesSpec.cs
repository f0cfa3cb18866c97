using System.Text.Json.Serialization;
using k8s.Models;

namespace Mta.Operator.Api;

/// <summary>Container resource requests and limits (cpu, memory, ephemeral-storage).</summary>
public sealed class ResourcesSpec
{
    [JsonPropertyName("requests")]
    public Dictionary<string, ResourceQuantity>? Requests { get; set; }

    [JsonPropertyName("limits")]
    public Dictionary<string, ResourceQuantity>? Limits { get; set; }
}

using System.Text.Json.Serialization;
using k8s.Models;

namespace Mta.Operator.Api;

/// <summary>A PersistentVolumeClaim's size and class.</summary>
public sealed class StorageSpec
{
    [JsonPropertyName("size")]
    public ResourceQuantity Size { get; set; } = new("1Gi");

    /// <summary>Unset uses the cluster's default StorageClass.</summary>
    [JsonPropertyName("storageClassName")]
    public string? StorageClassName { get; set; }
}

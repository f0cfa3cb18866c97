using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Mta.Operator.Controller;

/// <summary>Identity and metadata of an object of a kind the client has no model for (read for pruning only).</summary>
public sealed class PartialObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}

using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Mta.Operator.Rendering;

/// <summary>
/// An object of a kind the client has no model for (ServiceMonitor, PrometheusRule, KEDA ScaledObject):
/// typed identity and metadata, spec as plain maps and lists so JSON and YAML serialize it as written.
/// </summary>
public sealed class GenericResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public Dictionary<string, object?> Spec { get; set; } = [];
}

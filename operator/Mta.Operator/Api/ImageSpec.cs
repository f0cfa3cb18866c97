using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>The mta image every tier runs.</summary>
public sealed class ImageSpec
{
    [JsonPropertyName("repository")]
    public string Repository { get; set; } = "ghcr.io/mta-dev/mta";

    [JsonPropertyName("tag")]
    public string Tag { get; set; } = "0.1.0";

    /// <summary>Always, IfNotPresent or Never.</summary>
    [JsonPropertyName("pullPolicy")]
    public string PullPolicy { get; set; } = "IfNotPresent";
}

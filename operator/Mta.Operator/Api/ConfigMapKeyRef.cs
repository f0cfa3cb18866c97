using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>A key in a ConfigMap in the MailServer's namespace.</summary>
public sealed class ConfigMapKeyRef
{
    [JsonPropertyName("name")]
    [JsonRequired]
    public required string Name { get; set; }

    [JsonPropertyName("key")]
    public string Key { get; set; } = "aliases";
}

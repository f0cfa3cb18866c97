using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>A key in a Secret in the MailServer's namespace.</summary>
public sealed class SecretKeyRef
{
    [JsonPropertyName("name")]
    [JsonRequired]
    public required string Name { get; set; }

    [JsonPropertyName("key")]
    public string Key { get; set; } = "password";
}

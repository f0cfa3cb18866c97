using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>SMTP AUTH for submission: a Secret whose key holds the users file (one "user:password" a line).</summary>
public sealed class SaslSpec
{
    [JsonPropertyName("secretName")]
    [JsonRequired]
    public required string SecretName { get; set; }

    /// <summary>The key in the Secret that holds the users file.</summary>
    [JsonPropertyName("key")]
    public string Key { get; set; } = "users";
}

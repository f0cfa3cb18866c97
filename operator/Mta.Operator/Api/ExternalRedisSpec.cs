using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>An existing Redis (or Redis Cluster) reached by URL.</summary>
public sealed class ExternalRedisSpec
{
    /// <summary>redis:// or rediss:// URL without the password, e.g. redis://redis.mail.svc:6379/0.</summary>
    [JsonPropertyName("url")]
    [JsonRequired]
    public required string Url { get; set; }

    [JsonPropertyName("passwordSecretRef")]
    public SecretKeyRef? PasswordSecretRef { get; set; }
}

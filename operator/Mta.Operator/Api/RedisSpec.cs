using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>The queue store: an external Redis, or a single managed Redis with AOF (appendfsync always). Exactly one.</summary>
public sealed class RedisSpec
{
    [JsonPropertyName("external")]
    public ExternalRedisSpec? External { get; set; }

    [JsonPropertyName("managed")]
    public ManagedRedisSpec? Managed { get; set; }
}

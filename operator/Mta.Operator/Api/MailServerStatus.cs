using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>What the operator observed; written only through the status subresource.</summary>
public sealed class MailServerStatus
{
    /// <summary>The metadata.generation this status describes.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>Ready, Progressing, Degraded, ConfigValid, RedisReady (see <see cref="ConditionTypes"/>); one per type.</summary>
    [JsonPropertyName("conditions")]
    public List<MailServerCondition>? Conditions { get; set; }

    [JsonPropertyName("smtpd")]
    public TierStatus? Smtpd { get; set; }

    [JsonPropertyName("qmgr")]
    public TierStatus? Qmgr { get; set; }

    [JsonPropertyName("delivery")]
    public TierStatus? Delivery { get; set; }

    /// <summary>Messages waiting in the queue (active + deferred), as last read from Redis.</summary>
    [JsonPropertyName("queued")]
    public long? Queued { get; set; }

    /// <summary>The config hash of the rendered configuration now rolled out (mta.dev/config-hash).</summary>
    [JsonPropertyName("configHash")]
    public string? ConfigHash { get; set; }
}

using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>The smtpd tier: the pods that accept mail, and the Service in front of them.</summary>
public sealed class SmtpdTierSpec : TierSpec<SmtpdAutoscalingSpec>
{
    [JsonPropertyName("service")]
    public SmtpdServiceSpec Service { get; set; } = new();
}

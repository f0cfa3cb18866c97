using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>smtpd autoscaling: CPU and, where a custom metrics API serves it, active SMTP sessions per pod.</summary>
public sealed class SmtpdAutoscalingSpec : AutoscalingSpec
{
    /// <summary>Average mta_smtpd_active_sessions per pod to aim for.</summary>
    [JsonPropertyName("targetActiveSessions")]
    public int? TargetActiveSessions { get; set; }
}

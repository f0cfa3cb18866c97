using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>delivery autoscaling: CPU and the depth of the active (ready) queue per worker.</summary>
public sealed class DeliveryAutoscalingSpec : AutoscalingSpec
{
    /// <summary>Messages in the active queue per delivery pod to aim for (KEDA or an External metric).</summary>
    [JsonPropertyName("targetQueueDepth")]
    public int? TargetQueueDepth { get; set; }
}

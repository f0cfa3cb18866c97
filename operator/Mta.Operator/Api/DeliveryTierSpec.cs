namespace Mta.Operator.Api;

/// <summary>The delivery tier: smtp, relay, local, virtual, lmtp, discard, error and retry agents.</summary>
public sealed class DeliveryTierSpec : TierSpec<DeliveryAutoscalingSpec>;

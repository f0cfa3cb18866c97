namespace Mta.Operator.Api;

/// <summary>The qmgr tier. Queue shards are leased, so more than one replica is safe.</summary>
public sealed class QmgrTierSpec : TierSpec<AutoscalingSpec>;

namespace Mta.Operator.Api;

/// <summary>The condition types a MailServer reports.</summary>
public static class ConditionTypes
{
    /// <summary>Every tier has its ready replicas and the config is valid.</summary>
    public const string Ready = "Ready";

    /// <summary>A rollout is under way (children being created or updated).</summary>
    public const string Progressing = "Progressing";

    /// <summary>Something the user asked for cannot be provided (e.g. KEDA requested but not served).</summary>
    public const string Degraded = "Degraded";

    /// <summary>The rendered main.cf/master.cf passed Mta.Config validation; False keeps the running config.</summary>
    public const string ConfigValid = "ConfigValid";

    /// <summary>The queue store answered.</summary>
    public const string RedisReady = "RedisReady";

    public static readonly IReadOnlyList<string> All = [Ready, Progressing, Degraded, ConfigValid, RedisReady];
}

using Mta.Config;

namespace Mta.Delivery.Qmgr;

/// <summary>
/// The queue manager's parameters, bound once at start (Postfix's qmgr CONFIG_*_TABLEs). The per-destination knobs
/// (concurrency, recipient limit, rate delay) belong to each transport: see <see cref="TransportSettings"/>.
/// </summary>
public sealed record QueueManagerSettings
{
    /// <summary>minimal_backoff_time: shortest retry interval, and how long a dead destination stays suspended.</summary>
    public required TimeSpan MinimalBackoffTime { get; init; }

    /// <summary>maximal_backoff_time: longest retry interval.</summary>
    public required TimeSpan MaximalBackoffTime { get; init; }

    /// <summary>
    /// queue_run_delay: how often Postfix scans the deferred queue. The stores here hand out deferred mail as soon as
    /// its retry time passes, so it only bounds how long an idle queue manager sleeps between claims.
    /// </summary>
    public required TimeSpan QueueRunDelay { get; init; }

    /// <summary>maximal_queue_lifetime (0: try once).</summary>
    public required TimeSpan MaximalQueueLifetime { get; init; }

    /// <summary>bounce_queue_lifetime: the lifetime of mail from the null sender.</summary>
    public required TimeSpan BounceQueueLifetime { get; init; }

    /// <summary>delay_warning_time (0: no delay warnings).</summary>
    public required TimeSpan DelayWarningTime { get; init; }

    /// <summary>
    /// Messages this queue manager works on at once: qmgr_message_active_limit, but no more than twice
    /// default_process_limit. Unlike Postfix's in-memory active queue, every message in hand holds a lease renewed
    /// every few seconds (a durable write), so claiming far more than the agents can take would only cost heartbeats
    /// and keep the mail from other queue manager replicas.
    /// </summary>
    public required int MessagesInFlight { get; init; }

    /// <summary>delay_logging_resolution_limit: digits after the point in delay= and delays= (0..6).</summary>
    public required int DelayLoggingResolution { get; init; }

    /// <summary>soft_bounce: a permanent failure is kept as a temporary one (logged status=SOFTBOUNCE).</summary>
    public required bool SoftBounce { get; init; }

    /// <summary>The qmgr's syslog tag, "$syslog_name/qmgr".</summary>
    public required string ProgramName { get; init; }

    /// <summary>
    /// How long a claim lasts without a heartbeat: a crashed queue manager's messages are taken over after at most
    /// this (DESIGN.md: within 30 s). Renewed every third of it while a message is being delivered.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>First sleep when nothing is ready; doubles up to <see cref="IdlePollMaximum"/> (new mail and postqueue -f are seen fast).</summary>
    public TimeSpan IdlePollMinimum { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan IdlePollMaximum { get; init; } = TimeSpan.FromSeconds(1);

    public static QueueManagerSettings From(ParameterSet parameters) => new()
    {
        MinimalBackoffTime = parameters.Get(ParameterCatalogue.MinimalBackoffTime),
        MaximalBackoffTime = parameters.Get(ParameterCatalogue.MaximalBackoffTime),
        QueueRunDelay = parameters.Get(ParameterCatalogue.QueueRunDelay),
        MaximalQueueLifetime = parameters.Get(ParameterCatalogue.MaximalQueueLifetime),
        BounceQueueLifetime = parameters.Get(ParameterCatalogue.BounceQueueLifetime),
        DelayWarningTime = parameters.Get(ParameterCatalogue.DelayWarningTime),
        MessagesInFlight = Math.Min(parameters.Get(ParameterCatalogue.QmgrMessageActiveLimit),
            2 * parameters.Get(ParameterCatalogue.DefaultProcessLimit)),
        DelayLoggingResolution = Math.Clamp(parameters.Get(ParameterCatalogue.DelayLoggingResolutionLimit), 0, 6),
        SoftBounce = parameters.Get(ParameterCatalogue.SoftBounce),
        ProgramName = parameters.Get(ParameterCatalogue.SyslogName) + "/qmgr",
    };
}

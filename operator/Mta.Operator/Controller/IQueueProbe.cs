using Mta.Operator.Api;

namespace Mta.Operator.Controller;

/// <summary>Reads a MailServer's queue store: is it reachable (RedisReady) and how many messages wait (status.queued).</summary>
public interface IQueueProbe
{
    Task<QueueProbeResult> ProbeAsync(MailServer ms, CancellationToken ct);
}

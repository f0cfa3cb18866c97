using Mta.Delivery.Notices;
using Mta.Delivery.Routing;
using Mta.Queue;
using Mta.Smtp;

namespace Mta.Delivery.Qmgr;

/// <summary>What every message attempt works with (shared by all of them, built once by <see cref="QueueManager"/>).</summary>
internal sealed record QmgrServices(
    IMailQueue Queue,
    QueueManagerSettings Settings,
    IReadOnlyDictionary<string, Transport> Transports,
    IRecipientRouter Router,
    INotifier Notifier,
    DestinationScheduler Scheduler,
    IMailLog Log,
    TimeProvider Time)
{
    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>
    /// Postfix's retry rule (qmgr_active.c, qmgr_active_done_3_generic): the next attempt comes after as long as the
    /// message has been queued, but no sooner than minimal_backoff_time and no later than maximal_backoff_time.
    /// </summary>
    public DateTimeOffset RetryAt(DateTimeOffset arrival, DateTimeOffset now)
    {
        var age = now - arrival;
        var wait = age < Settings.MinimalBackoffTime ? Settings.MinimalBackoffTime
            : age > Settings.MaximalBackoffTime ? Settings.MaximalBackoffTime : age;
        return now + wait;
    }

    /// <summary>maximal_queue_lifetime, or bounce_queue_lifetime for mail from the null sender.</summary>
    public TimeSpan LifetimeOf(Envelope envelope) =>
        envelope.Sender.Length == 0 ? Settings.BounceQueueLifetime : Settings.MaximalQueueLifetime;
}

namespace Mta.Queue;

/// <summary>A whole queue store: the enqueue side smtpd and sendmail use and the consumer side qmgr, delivery and the queue commands use.</summary>
public interface IMailQueue : IQueueStore, IQueueConsumer
{
    /// <summary>Where this store keeps bodies (kept apart from envelopes so it can move to an object store).</summary>
    IBodyStore Bodies { get; }
}

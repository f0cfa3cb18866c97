using Mta.Queue;

namespace Mta.Delivery.Tests.Qmgr;

/// <summary>The real store, except that claims fail with QueueUnavailableException while <see cref="Down"/> is set (Redis away).</summary>
public sealed class FlakyQueue(IMailQueue inner) : IMailQueue
{
    private int _failedClaims;

    public volatile bool Down;

    public int FailedClaims => Volatile.Read(ref _failedClaims);

    public IBodyStore Bodies => inner.Bodies;
    public int ShardCount => inner.ShardCount;

    public ValueTask<MessageLease?> ClaimNextAsync(string holder, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        ClaimNextAsync(holder, leaseDuration, [0], cancellationToken);

    public ValueTask<MessageLease?> ClaimNextAsync(string holder, TimeSpan leaseDuration, IReadOnlyList<int> shards, CancellationToken cancellationToken)
    {
        if (!Down) return inner.ClaimNextAsync(holder, leaseDuration, shards, cancellationToken);
        Interlocked.Increment(ref _failedClaims);
        throw new QueueUnavailableException("queue store unavailable (test)");
    }

    public QueueId NewQueueId() => inner.NewQueueId();
    public ValueTask<IMessageWriter> BeginMessageAsync(QueueId id, CancellationToken cancellationToken) => inner.BeginMessageAsync(id, cancellationToken);
    public int ShardOf(QueueId id) => inner.ShardOf(id);
    public ValueTask<MessageLease> RenewAsync(MessageLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken) => inner.RenewAsync(lease, leaseDuration, cancellationToken);
    public ValueTask<OutcomeResult> RecordOutcomeAsync(MessageLease lease, int recipientIndex, RecipientOutcome outcome, CancellationToken cancellationToken) =>
        inner.RecordOutcomeAsync(lease, recipientIndex, outcome, cancellationToken);
    public ValueTask<QueueName?> FinishAsync(MessageLease lease, DateTimeOffset retryAt, CancellationToken cancellationToken) => inner.FinishAsync(lease, retryAt, cancellationToken);
    public ValueTask<QueuedMessage?> GetAsync(QueueId id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);
    public ValueTask<Stream> OpenBodyAsync(QueueId id, CancellationToken cancellationToken) => inner.OpenBodyAsync(id, cancellationToken);
    public IAsyncEnumerable<QueuedMessage> ListAsync(QueueName? queue, CancellationToken cancellationToken) => inner.ListAsync(queue, cancellationToken);
    public ValueTask<bool> HoldAsync(QueueId id, CancellationToken cancellationToken) => inner.HoldAsync(id, cancellationToken);
    public ValueTask<bool> ReleaseAsync(QueueId id, CancellationToken cancellationToken) => inner.ReleaseAsync(id, cancellationToken);
    public ValueTask<bool> RequeueAsync(QueueId id, CancellationToken cancellationToken) => inner.RequeueAsync(id, cancellationToken);
    public ValueTask<bool> DeleteAsync(QueueId id, CancellationToken cancellationToken) => inner.DeleteAsync(id, cancellationToken);
    public ValueTask<int> FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public ValueTask<IReadOnlyList<QueueDepth>> GetDepthsAsync(CancellationToken cancellationToken) => inner.GetDepthsAsync(cancellationToken);

    /// <summary>The harness owns the inner store.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

namespace Mta.Queue;

/// <summary>
/// The queue as qmgr, delivery and the queue commands see it, identical for every store, so the
/// scheduler never knows which store it has. Work is claimed under a lease (heartbeat with
/// <see cref="RenewAsync"/>); every write made under a lease checks its fencing token.
/// </summary>
public interface IQueueConsumer
{
    /// <summary>
    /// Claims one ready message: from incoming, from deferred once its not-before time has passed, or from
    /// active when a previous holder's lease expired (take-over). Moves it to active. Null when nothing is ready.
    /// </summary>
    ValueTask<MessageLease?> ClaimNextAsync(string holder, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>
    /// How many independent shards the queue has (Redis: the {qN} hash tags; the file store: 1). Queue manager
    /// replicas can split the work by leasing shards and claiming only from their own.
    /// </summary>
    int ShardCount { get; }

    /// <summary>Like <see cref="ClaimNextAsync(string, TimeSpan, CancellationToken)"/>, from the given shards only (0..ShardCount-1).</summary>
    ValueTask<MessageLease?> ClaimNextAsync(string holder, TimeSpan leaseDuration, IReadOnlyList<int> shards, CancellationToken cancellationToken);

    /// <summary>The shard a message belongs to.</summary>
    int ShardOf(QueueId id);

    /// <summary>Heartbeat: extends the lease. Throws <see cref="LeaseLostException"/> when it is no longer held.</summary>
    ValueTask<MessageLease> RenewAsync(MessageLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>
    /// Records one recipient's outcome atomically, fencing token checked (<see cref="LeaseLostException"/> when stale).
    /// A final outcome (delivered, bounced) is recorded once; later writes return <see cref="OutcomeResult.AlreadyFinal"/>.
    /// </summary>
    ValueTask<OutcomeResult> RecordOutcomeAsync(MessageLease lease, int recipientIndex, RecipientOutcome outcome, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the lease: a message whose recipients are all final is removed (body too); otherwise it moves to
    /// deferred, not to be tried before <paramref name="retryAt"/>. Fencing token checked.
    /// </summary>
    ValueTask<QueueName?> FinishAsync(MessageLease lease, DateTimeOffset retryAt, CancellationToken cancellationToken);

    /// <summary>The message with its envelope and recipient state, or null when it is gone or unreadable.</summary>
    ValueTask<QueuedMessage?> GetAsync(QueueId id, CancellationToken cancellationToken);

    /// <summary>The stored bytes exactly as received (CRLF). Throws <see cref="FileNotFoundException"/> when gone.</summary>
    ValueTask<Stream> OpenBodyAsync(QueueId id, CancellationToken cancellationToken);

    /// <summary>Every message in <paramref name="queue"/> (all queues when null), in no particular order.</summary>
    IAsyncEnumerable<QueuedMessage> ListAsync(QueueName? queue, CancellationToken cancellationToken);

    /// <summary>postsuper -h: moves a message to hold (an active lease is revoked). False when not found or already held.</summary>
    ValueTask<bool> HoldAsync(QueueId id, CancellationToken cancellationToken);

    /// <summary>postsuper -H: moves a held message to deferred, ready now. False when it is not on hold.</summary>
    ValueTask<bool> ReleaseAsync(QueueId id, CancellationToken cancellationToken);

    /// <summary>postsuper -r: moves a message (from any queue but corrupt) to incoming, ready now; final recipients stay final.</summary>
    ValueTask<bool> RequeueAsync(QueueId id, CancellationToken cancellationToken);

    /// <summary>postsuper -d: removes a message and its body. False when not found.</summary>
    ValueTask<bool> DeleteAsync(QueueId id, CancellationToken cancellationToken);

    /// <summary>postqueue -f: makes every deferred message ready now. Returns how many.</summary>
    ValueTask<int> FlushAsync(CancellationToken cancellationToken);

    /// <summary>Count and oldest arrival of every queue (metrics, qshape).</summary>
    ValueTask<IReadOnlyList<QueueDepth>> GetDepthsAsync(CancellationToken cancellationToken);
}

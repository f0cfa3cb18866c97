namespace Mta.Queue;

/// <summary>
/// Where accepted mail lives until it is delivered or bounced. Envelope and body are kept apart
/// so the body can later move to an object store without touching the scheduler.
/// A message exists for the scheduler only after <see cref="IMessageWriter.CommitAsync"/> returned:
/// that is the moment smtpd may answer 250.
/// </summary>
public interface IQueueStore : IAsyncDisposable
{
    /// <summary>Allocates a queue ID unique across every process sharing this store (Postfix long-ID alphabet).</summary>
    QueueId NewQueueId();

    /// <summary>Starts writing one message's content; nothing is visible until the writer commits.</summary>
    ValueTask<IMessageWriter> BeginMessageAsync(QueueId id, CancellationToken cancellationToken);
}

/// <summary>
/// Receives one message's bytes (CRLF line endings, headers then body, as they will be relayed)
/// and commits them with the envelope atomically and durably. Disposing without committing discards everything.
/// </summary>
public interface IMessageWriter : IAsyncDisposable
{
    QueueId Id { get; }

    /// <summary>Bytes written so far.</summary>
    long Length { get; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Makes the message durable and visible to the queue manager; throws <see cref="QueueUnavailableException"/> when the store cannot.</summary>
    ValueTask CommitAsync(Envelope envelope, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="CommitAsync"/>, straight into the hold queue (smtpd's HOLD action): the message is durable and
    /// listed, but never scheduled until <c>postsuper -H</c> releases it. No window in which a queue manager could claim it.
    /// </summary>
    ValueTask CommitToHoldAsync(Envelope envelope, CancellationToken cancellationToken);
}

/// <summary>The store cannot take or keep mail right now (smtpd answers 451 4.3.0).</summary>
public sealed class QueueUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

namespace Mta.Queue;

/// <summary>
/// What every store's <see cref="IMessageWriter"/> shares: content goes to an <see cref="IBodyWriter"/> as it
/// arrives; commit runs once; a writer disposed without a commit throws its body away. Stores supply only how
/// a commit makes the message durable and how an uncommitted body is discarded.
/// </summary>
internal abstract class MessageWriter(QueueId id, IBodyWriter body) : IMessageWriter
{
    private bool _committed;
    private bool _disposed;

    public QueueId Id => id;

    public long Length => body.Length;

    protected IBodyWriter Body => body;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return body.WriteAsync(content, cancellationToken);
    }

    public ValueTask CommitAsync(Envelope envelope, CancellationToken cancellationToken) =>
        CommitIntoAsync(envelope, QueueName.Incoming, cancellationToken);

    public ValueTask CommitToHoldAsync(Envelope envelope, CancellationToken cancellationToken) =>
        CommitIntoAsync(envelope, QueueName.Hold, cancellationToken);

    private async ValueTask CommitIntoAsync(Envelope envelope, QueueName queue, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed) throw new InvalidOperationException($"{id}: already committed");
        await CommitCoreAsync(envelope, queue, cancellationToken).ConfigureAwait(false);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await body.DisposeAsync().ConfigureAwait(false);
        if (!_committed) await DiscardBodyAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Makes envelope and body durable and visible together in <paramref name="queue"/> (incoming or hold);
    /// throws <see cref="QueueUnavailableException"/> when it cannot.
    /// </summary>
    protected abstract ValueTask CommitCoreAsync(Envelope envelope, QueueName queue, CancellationToken cancellationToken);

    /// <summary>Removes whatever of the body reached storage before the writer was abandoned.</summary>
    protected abstract ValueTask DiscardBodyAsync();
}

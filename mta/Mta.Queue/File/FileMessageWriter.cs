using Mta.Queue.Format;

namespace Mta.Queue.File;

/// <summary>
/// One message being received into the file store. Commit: seal the body (fsync file and body/), write the
/// state file in tmp/ (fsync), rename it into incoming/ and fsync incoming/. Only that rename makes a message.
/// </summary>
internal sealed class FileMessageWriter(QueueId id, IBodyWriter body, FileQueueLayout layout, IBodyStore bodies) : IMessageWriter
{
    private bool _committed;
    private bool _disposed;

    public QueueId Id => id;

    public long Length => body.Length;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return body.WriteAsync(content, cancellationToken);
    }

    public async ValueTask CommitAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed) throw new InvalidOperationException($"{id}: already committed");
        var record = new MessageRecord
        {
            Id = id.Value,
            Envelope = EnvelopeCodec.ToRecord(envelope),
            Size = body.Length,
        };
        try
        {
            await body.SealAsync(cancellationToken).ConfigureAwait(false);
            await MessageFile.WriteAsync(layout.NewTempPath(id), layout.MessagePath(QueueName.Incoming, id), record,
                DateTimeOffset.UtcNow, overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QueueUnavailableException($"{id}: cannot write to the queue: {e.Message}", e);
        }
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await body.DisposeAsync().ConfigureAwait(false);
        if (!_committed) await bodies.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
    }
}

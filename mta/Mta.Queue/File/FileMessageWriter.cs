using Mta.Queue.Format;

namespace Mta.Queue.File;

/// <summary>
/// One message being received into the file store. Commit makes the body durable (file and body/) and, at
/// the same time, creates the state file in incoming/, marks it ready and makes it durable (file and
/// incoming/): the fsyncs run side by side so the file system can commit them together. The message is
/// acknowledged only when both are done; should the machine crash before, recovery drops the state file or
/// (never marked ready) readers ignore it.
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
            var sealBody = Task.Run(async () => await body.SealAsync(cancellationToken).ConfigureAwait(false), cancellationToken);
            var writeState = Task.Run(async () => await MessageFile.CreateReadyAsync(
                layout.MessagePath(QueueName.Incoming, id), layout.IncomingFlusher, record, cancellationToken).ConfigureAwait(false), cancellationToken);
            try
            {
                await Task.WhenAll(sealBody, writeState).ConfigureAwait(false);
            }
            catch when (writeState.IsCompletedSuccessfully)
            {
                // The body failed but the state file is there: withdraw it so no message without a body exists.
                System.IO.File.Delete(layout.MessagePath(QueueName.Incoming, id));
                throw;
            }
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

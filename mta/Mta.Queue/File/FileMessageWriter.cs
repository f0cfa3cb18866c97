using Mta.Queue.Format;

namespace Mta.Queue.File;

/// <summary>
/// One message being received into the file store. Commit makes the body durable (file and body/) and, at
/// the same time, creates the state file in incoming/ (hold/ for smtpd's HOLD action), marks it ready and makes
/// it durable (file and directory): the fsyncs run side by side so the file system can commit them together. The message is
/// acknowledged only when both are done; should the machine crash before, recovery drops the state file or
/// (never marked ready) readers ignore it.
/// </summary>
internal sealed class FileMessageWriter(QueueId queueId, IBodyWriter bodyWriter, FileQueueLayout layout, IBodyStore bodies) : MessageWriter(queueId, bodyWriter)
{
    protected override async ValueTask CommitCoreAsync(Envelope envelope, QueueName queue, CancellationToken cancellationToken)
    {
        var record = new MessageRecord
        {
            Id = Id.Value,
            Envelope = EnvelopeCodec.ToRecord(envelope),
            Size = Body.Length,
        };
        try
        {
            var sealBody = Task.Run(async () => await Body.SealAsync(cancellationToken).ConfigureAwait(false), cancellationToken);
            var writeState = Task.Run(async () => await MessageFile.CreateReadyAsync(
                layout.MessagePath(queue, Id), layout.FlusherFor(queue), record, cancellationToken).ConfigureAwait(false), cancellationToken);
            try
            {
                await Task.WhenAll(sealBody, writeState).ConfigureAwait(false);
            }
            catch when (writeState.IsCompletedSuccessfully)
            {
                // The body failed but the state file is there: withdraw it so no message without a body exists.
                System.IO.File.Delete(layout.MessagePath(queue, Id));
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QueueUnavailableException($"{Id}: cannot write to the queue: {e.Message}", e);
        }
    }

    protected override ValueTask DiscardBodyAsync() => bodies.DeleteAsync(Id, CancellationToken.None);
}

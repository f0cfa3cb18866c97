using Mta.Queue.Format;

namespace Mta.Queue.File;

/// <summary>Reads and atomically replaces state files: write to tmp/, fsync, rename over, fsync the directory.</summary>
internal static class MessageFile
{
    public static async ValueTask<MessageRecord?> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await System.IO.File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        return EnvelopeCodec.Deserialize<MessageRecord>(bytes);
    }

    /// <summary>
    /// Writes <paramref name="record"/> to <paramref name="destination"/> in one atomic step.
    /// The file's modification time carries the scheduling time (Postfix's trick for deferred mail),
    /// so scans need stat(2) only.
    /// </summary>
    public static async ValueTask WriteAsync(string tempPath, string destination, MessageRecord record, DateTimeOffset modified,
        bool overwrite, CancellationToken cancellationToken)
    {
        try
        {
            await using (var stream = new FileStream(tempPath, CreateOptions(FileQueueLayout.ReadyMode)))
            {
                await stream.WriteAsync(EnvelopeCodec.Serialize(record), cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            System.IO.File.SetLastWriteTimeUtc(tempPath, modified.UtcDateTime);
            System.IO.File.Move(tempPath, destination, overwrite);
        }
        catch
        {
            System.IO.File.Delete(tempPath);
            throw;
        }
        DirectorySync.Flush(Path.GetDirectoryName(destination)!);
    }

    /// <summary>Moves a state file between queue directories; false when the source is gone (someone else moved it).</summary>
    public static bool TryMove(string from, string to)
    {
        try
        {
            System.IO.File.Move(from, to, overwrite: false);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        DirectorySync.Flush(Path.GetDirectoryName(to)!);
        DirectorySync.Flush(Path.GetDirectoryName(from)!);
        return true;
    }

    /// <summary>
    /// Creates a new message's state file in place (incoming/ID) without the ready bit, writes and marks it
    /// ready, then makes file and directory durable. A crash before the mark leaves a file every reader skips.
    /// </summary>
    public static async ValueTask CreateReadyAsync(string path, DirectoryFlusher directory, MessageRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(path, CreateOptions(FileQueueLayout.WritingMode));
            await stream.WriteAsync(EnvelopeCodec.Serialize(record), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows()) System.IO.File.SetUnixFileMode(stream.SafeFileHandle, FileQueueLayout.ReadyMode);
            stream.Flush(flushToDisk: true);
        }
        catch
        {
            System.IO.File.Delete(path);
            throw;
        }
        await directory.FlushAsync().ConfigureAwait(false);
    }

    private static FileStreamOptions CreateOptions(UnixFileMode mode)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            // Readers may open it as soon as the ready bit is set, which happens before this stream closes (the
            // bit must be fsynced with the content); the content is complete by then, so a shared read is safe.
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode; // the ready bit is the queue's commit mark
        return options;
    }

    public static QueuedMessage ToMessage(QueueName queue, MessageRecord record) => new(
        new QueueId(record.Id),
        queue,
        EnvelopeCodec.ToEnvelope(record.Envelope),
        record.Size,
        record.Envelope.Recipients.Select(EnvelopeCodec.ToState).ToArray(),
        record.NotBefore,
        record.Attempts);
}

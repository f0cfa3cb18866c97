namespace Mta.Queue.File;

/// <summary>Bodies as files in queue_directory/body, named by queue ID. A body never moves; only its state file does.</summary>
public sealed class FileBodyStore : IBodyStore
{
    private const int BufferSize = 64 * 1024;
    private readonly string _directory;
    private readonly DirectoryFlusher _flusher;

    public FileBodyStore(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        _flusher = new DirectoryFlusher(directory);
    }

    public ValueTask<IBodyWriter> CreateAsync(QueueId id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string path = PathOf(id);
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
        return ValueTask.FromResult<IBodyWriter>(new Writer(stream, path, _flusher));
    }

    public ValueTask<Stream> OpenReadAsync(QueueId id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<Stream>(new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.Asynchronous));
    }

    public ValueTask DeleteAsync(QueueId id, CancellationToken cancellationToken)
    {
        System.IO.File.Delete(PathOf(id));
        return ValueTask.CompletedTask;
    }

    private string PathOf(QueueId id) =>
        QueueId.IsValid(id.Value) ? Path.Combine(_directory, id.Value) : throw new ArgumentException($"bad queue ID {id}", nameof(id));

    private sealed class Writer(FileStream stream, string path, DirectoryFlusher directory) : IBodyWriter
    {
        private bool _sealed;
        private bool _disposed;

        public long Length { get; private set; }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
        {
            if (_sealed) throw new InvalidOperationException("body already sealed");
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            Length += content.Length;
        }

        public async ValueTask SealAsync(CancellationToken cancellationToken)
        {
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
            await stream.DisposeAsync().ConfigureAwait(false);
            await directory.FlushAsync().ConfigureAwait(false);
            _sealed = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed) return;
            _disposed = true;
            if (_sealed) return;
            await stream.DisposeAsync().ConfigureAwait(false);
            System.IO.File.Delete(path);
        }
    }
}

using Mta.Queue.Ids;

namespace Mta.Queue.File;

/// <summary>
/// The embedded queue on one host: Postfix-like directories under queue_directory (see <see cref="FileQueueLayout"/>).
/// Durable before commit returns; a claim is the rename into active/. Several processes may share one
/// directory: enqueue is a rename, every other change is made under queue.lock.
/// </summary>
public sealed partial class FileQueueStore : IMailQueue
{
    private readonly FileQueueLayout _layout;
    private readonly LongQueueIdGenerator _ids;
    private readonly QueueDirectoryLock _lock;
    private readonly TimeProvider _time;

    private FileQueueStore(FileQueueLayout layout, FileQueueStoreOptions options)
    {
        _layout = layout;
        _time = options.Time;
        Bodies = new FileBodyStore(layout.Body);
        _lock = new QueueDirectoryLock(layout.LockFile);
        _ids = new LongQueueIdGenerator(FileNodeNumber.Next(layout.NodeFile), options.Time);
    }

    /// <summary>The body store (queue_directory/body).</summary>
    public IBodyStore Bodies { get; }

    /// <summary>Creates the directories when missing and, when asked, recovers after a crash.</summary>
    public static FileQueueStore Open(FileQueueStoreOptions options)
    {
        var layout = new FileQueueLayout(options.QueueDirectory);
        layout.EnsureCreated();
        var store = new FileQueueStore(layout, options);
        if (options.Recover) store.Recover(options.OrphanAge);
        return store;
    }

    public QueueId NewQueueId() => _ids.Next();

    public async ValueTask<IMessageWriter> BeginMessageAsync(QueueId id, CancellationToken cancellationToken)
    {
        if (!QueueId.IsValid(id.Value)) throw new ArgumentException($"bad queue ID {id}", nameof(id));
        try
        {
            var body = await Bodies.CreateAsync(id, cancellationToken).ConfigureAwait(false);
            return new FileMessageWriter(id, body, _layout, Bodies);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QueueUnavailableException($"{id}: cannot create queue file: {e.Message}", e);
        }
    }

    public ValueTask DisposeAsync()
    {
        _lock.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Postfix's qmgr moves active mail back to incoming when it starts: whatever was in flight when the
    /// previous process died is scheduled again (at-least-once). Half-written leftovers are removed.
    /// </summary>
    private void Recover(TimeSpan orphanAge)
    {
        foreach (var file in _layout.Messages(QueueName.Active))
            MessageFile.TryMove(file.FullName, _layout.MessagePath(QueueName.Incoming, new QueueId(file.Name)));
        var cutoff = _time.GetUtcNow().UtcDateTime - orphanAge;
        // A state file never marked ready was never acknowledged (commit had not returned): drop it.
        foreach (var file in new DirectoryInfo(_layout.Directory(QueueName.Incoming)).EnumerateFiles())
            if (!FileQueueLayout.IsReady(file) && file.LastWriteTimeUtc < cutoff) file.Delete();
        foreach (var path in Directory.EnumerateFiles(_layout.Temp))
            if (System.IO.File.GetLastWriteTimeUtc(path) < cutoff) System.IO.File.Delete(path);
        foreach (var path in Directory.EnumerateFiles(_layout.Body))
        {
            var id = new QueueId(Path.GetFileName(path));
            if (System.IO.File.GetLastWriteTimeUtc(path) < cutoff && _layout.Locate(id) is null) System.IO.File.Delete(path);
        }
    }
}

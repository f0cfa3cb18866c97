namespace Mta.Queue.File;

/// <summary>
/// The directories under queue_directory. A message is the state file <c>QUEUE/ID</c> (envelope, recipient
/// state, lease), which moves between queue directories by rename; its bytes stay in <c>body/ID</c>.
/// <c>tmp/</c> holds state files being written; nothing there is ever a message.
/// A new message's state file is written in place in incoming/ and marked complete by its owner-execute
/// bit, as Postfix marks finished queue files (MAIL_QUEUE_STAT_READY); readers skip files without it.
/// </summary>
internal sealed class FileQueueLayout
{
    public FileQueueLayout(string root)
    {
        Root = Path.GetFullPath(root);
        Temp = Path.Combine(Root, "tmp");
        Body = Path.Combine(Root, "body");
        LockFile = Path.Combine(Root, "queue.lock");
        NodeFile = Path.Combine(Root, "idnode");
        IncomingFlusher = new DirectoryFlusher(Directory(QueueName.Incoming));
        _holdFlusher = new DirectoryFlusher(Directory(QueueName.Hold));
    }

    private readonly DirectoryFlusher _holdFlusher;

    /// <summary>Shared by all commits of this store instance, so concurrent enqueues share incoming/'s fsync.</summary>
    public DirectoryFlusher IncomingFlusher { get; }

    /// <summary>The flusher for a queue new messages are committed into: incoming/, or hold/ for smtpd's HOLD action.</summary>
    public DirectoryFlusher FlusherFor(QueueName queue) => queue switch
    {
        QueueName.Incoming => IncomingFlusher,
        QueueName.Hold => _holdFlusher,
        _ => throw new ArgumentOutOfRangeException(nameof(queue), queue, "new messages go to incoming or hold"),
    };

    public string Root { get; }
    public string Temp { get; }
    public string Body { get; }
    public string LockFile { get; }
    public string NodeFile { get; }

    /// <summary>rwx------: a complete state file.</summary>
    public const UnixFileMode ReadyMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw-------: a state file still being written.</summary>
    public const UnixFileMode WritingMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static bool IsReady(FileSystemInfo file) => (file.UnixFileMode & UnixFileMode.UserExecute) != 0;

    /// <summary>The complete state files in <paramref name="queue"/> (valid queue ID names, ready bit set).</summary>
    public IEnumerable<FileInfo> Messages(QueueName queue) =>
        new DirectoryInfo(Directory(queue)).EnumerateFiles().Where(f => QueueId.IsValid(f.Name) && IsReady(f));

    public string Directory(QueueName queue) => Path.Combine(Root, queue.ToPostfixName());

    public string MessagePath(QueueName queue, QueueId id) => Path.Combine(Directory(queue), id.Value);

    public string BodyPath(QueueId id) => Path.Combine(Body, id.Value);

    public string NewTempPath(QueueId id) => Path.Combine(Temp, $"{id.Value}.{Guid.NewGuid():N}");

    public void EnsureCreated()
    {
        System.IO.Directory.CreateDirectory(Temp);
        System.IO.Directory.CreateDirectory(Body);
        foreach (var queue in QueueNames.All) System.IO.Directory.CreateDirectory(Directory(queue));
    }

    /// <summary>Which queue holds <paramref name="id"/> now, or null.</summary>
    public QueueName? Locate(QueueId id)
    {
        foreach (var queue in QueueNames.All)
        {
            var file = new FileInfo(MessagePath(queue, id));
            if (file.Exists && IsReady(file)) return queue;
        }
        return null;
    }
}

namespace Mta.Queue.File;

/// <summary>
/// The directories under queue_directory. A message is the state file <c>QUEUE/ID</c> (envelope, recipient
/// state, lease), which moves between queue directories by rename; its bytes stay in <c>body/ID</c>.
/// <c>tmp/</c> holds state files being written; nothing there is ever a message.
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
    }

    public string Root { get; }
    public string Temp { get; }
    public string Body { get; }
    public string LockFile { get; }
    public string NodeFile { get; }

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
            if (System.IO.File.Exists(MessagePath(queue, id))) return queue;
        return null;
    }
}

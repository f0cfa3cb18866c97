using Mta.Queue.File;

namespace Mta.Queue.Tests;

/// <summary>The contract against the file store in a fresh temp queue_directory, plus its crash recovery.</summary>
public sealed class FileQueueStoreTests : QueueStoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mta-queue-").FullName;

    protected override Task<IMailQueue> OpenStoreAsync() =>
        Task.FromResult<IMailQueue>(FileQueueStore.Open(new FileQueueStoreOptions(_directory)));

    protected override Task<int> CountLeftoversAsync()
    {
        int messages = QueueNames.All.Sum(q => Directory.GetFiles(Path.Combine(_directory, q.ToPostfixName())).Length);
        int bodies = Directory.GetFiles(Path.Combine(_directory, "body")).Length;
        return Task.FromResult(Directory.GetFiles(Path.Combine(_directory, "tmp")).Length + bodies - messages);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task UsesPostfixQueueDirectories()
    {
        var id = await EnqueueAsync();
        Assert.True(System.IO.File.Exists(Path.Combine(_directory, "incoming", id.Value)));
        Assert.True(System.IO.File.Exists(Path.Combine(_directory, "body", id.Value)));
        foreach (var name in new[] { "active", "deferred", "hold", "corrupt", "tmp" })
            Assert.True(Directory.Exists(Path.Combine(_directory, name)), name);
    }

    [Fact]
    public async Task RecoveryMovesActiveMailBackAndRemovesHalfWrittenFiles()
    {
        var id = await EnqueueAsync();
        var lease = await Store.ClaimNextAsync("qmgr", LongLease, default);
        Assert.Equal(id, lease?.Id);
        // A writer that died mid-message: a body file and a temp state file, never renamed into a queue.
        var dead = Store.NewQueueId();
        var writer = await Store.BeginMessageAsync(dead, default);
        await writer.WriteAsync(new byte[10], default);
        await System.IO.File.WriteAllTextAsync(Path.Combine(_directory, "tmp", dead.Value + ".x"), "{");

        // Simulates the restart after a crash: a new process opens the directory with recovery on.
        await using var restarted = FileQueueStore.Open(new FileQueueStoreOptions(_directory, Recover: true) { OrphanAge = TimeSpan.Zero });
        Assert.Equal(QueueName.Incoming, (await restarted.GetAsync(id, default))!.Queue);
        Assert.Null(await restarted.GetAsync(dead, default));
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory, "tmp")));
        Assert.False(System.IO.File.Exists(Path.Combine(_directory, "body", dead.Value)));
        var again = await restarted.ClaimNextAsync("qmgr", LongLease, default);
        Assert.True(again!.Token > lease!.Token);
    }

    [Fact]
    public async Task UnreadableStateFileGoesToCorrupt()
    {
        var id = await EnqueueAsync();
        await System.IO.File.WriteAllTextAsync(Path.Combine(_directory, "incoming", id.Value), "not json");
        Assert.Null(await Store.ClaimNextAsync("qmgr", LongLease, default));
        Assert.True(System.IO.File.Exists(Path.Combine(_directory, "corrupt", id.Value)));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task StateFileWithoutTheReadyBitIsNotAMessage()
    {
        var id = await EnqueueAsync();
        string path = Path.Combine(_directory, "incoming", id.Value);
        Assert.True((System.IO.File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0);
        // What a crash between creating and marking the state file leaves behind.
        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Null(await Store.GetAsync(id, default));
        Assert.Empty(await Store.ListAsync(null, default).ToListAsync());
        Assert.Equal(0, await DepthAsync(QueueName.Incoming));
        Assert.Null(await Store.ClaimNextAsync("qmgr", LongLease, default));

        await using var restarted = FileQueueStore.Open(new FileQueueStoreOptions(_directory, Recover: true) { OrphanAge = TimeSpan.Zero });
        Assert.False(System.IO.File.Exists(path));
        Assert.False(System.IO.File.Exists(Path.Combine(_directory, "body", id.Value)));
    }
}

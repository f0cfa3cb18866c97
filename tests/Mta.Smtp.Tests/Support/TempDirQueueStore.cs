using System.Collections.Concurrent;
using System.Security.Cryptography;
using Mta.Queue;

namespace Mta.Smtp.Tests.Support;

/// <summary>
/// Test-only queue store: each message is written to a temp file and renamed on commit, so tests can see
/// exactly what was made durable. Can be told to fail to exercise the 451 path.
/// </summary>
public sealed class TempDirQueueStore : IQueueStore
{
    private const string Alphabet = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjkmnpqrstvwxyz";
    private readonly string _dir = Directory.CreateTempSubdirectory("mta-smtpd-test-").FullName;

    public ConcurrentDictionary<string, (Envelope Envelope, byte[] Content)> Committed { get; } = new();

    /// <summary>The IDs of committed messages that went to the hold queue (smtpd's HOLD action).</summary>
    public ConcurrentDictionary<string, bool> Held { get; } = new();

    /// <summary>Makes BeginMessageAsync / WriteAsync / CommitAsync throw QueueUnavailableException.</summary>
    public bool FailBegin { get; set; }
    public bool FailCommit { get; set; }

    public int OpenWriters;

    public QueueId NewQueueId()
    {
        Span<char> id = stackalloc char[15];
        for (var i = 0; i < id.Length; i++)
            id[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return new QueueId(new string(id));
    }

    public ValueTask<IMessageWriter> BeginMessageAsync(QueueId id, CancellationToken cancellationToken)
    {
        if (FailBegin)
            throw new QueueUnavailableException("test store is down");
        Interlocked.Increment(ref OpenWriters);
        return ValueTask.FromResult<IMessageWriter>(new Writer(this, id));
    }

    public IEnumerable<string> FilesOnDisk => Directory.EnumerateFiles(_dir);

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    private sealed class Writer(TempDirQueueStore store, QueueId id) : IMessageWriter
    {
        private readonly string _temp = Path.Combine(store._dir, id.Value + ".tmp");
        private FileStream? _file = new(Path.Combine(store._dir, id.Value + ".tmp"), FileMode.CreateNew);
        private bool _committed;

        public QueueId Id => id;
        public long Length => _file?.Length ?? 0;

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
            await _file!.WriteAsync(content, cancellationToken);

        public async ValueTask CommitAsync(Envelope envelope, CancellationToken cancellationToken)
        {
            if (store.FailCommit)
                throw new QueueUnavailableException("test store is down");
            await _file!.FlushAsync(cancellationToken);
            await _file.DisposeAsync();
            _file = null;
            var final = Path.Combine(store._dir, id.Value);
            File.Move(_temp, final);
            store.Committed[id.Value] = (envelope, await File.ReadAllBytesAsync(final, cancellationToken));
            _committed = true;
        }

        public async ValueTask CommitToHoldAsync(Envelope envelope, CancellationToken cancellationToken)
        {
            await CommitAsync(envelope, cancellationToken);
            store.Held[id.Value] = true;
        }

        public async ValueTask DisposeAsync()
        {
            Interlocked.Decrement(ref store.OpenWriters);
            if (_file is not null)
                await _file.DisposeAsync();
            if (!_committed)
                File.Delete(_temp);
        }
    }
}

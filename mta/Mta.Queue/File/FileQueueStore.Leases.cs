using Mta.Queue.Format;

namespace Mta.Queue.File;

public sealed partial class FileQueueStore
{
    // Scanning deferred/ and active/ costs a stat per file; skip the scan until the earliest time something
    // there can become ready (or a few seconds, in case another process changed the directory).
    private static readonly TimeSpan RescanInterval = TimeSpan.FromSeconds(5);
    private DateTimeOffset _deferredScanAfter = DateTimeOffset.MinValue;
    private DateTimeOffset _activeScanAfter = DateTimeOffset.MinValue;

    // Like qmgr's queue scans: one directory scan yields a batch of candidates that later claims consume,
    // so draining a large backlog does not list the directory once per message.
    private const int ScanBatch = 1000;
    private readonly Queue<(QueueName Queue, string Path)> _candidates = new();

    // One claim at a time in this process (the candidate batch is shared); the message itself is locked like any other work on it.
    private readonly SemaphoreSlim _claimGate = new(1, 1);
    // Guards the scan times, which deliveries running side by side move earlier.
    private readonly Lock _scanGate = new();
    // Set by queue-wide changes (flush, moves): the next claim drops its batch and scans again. A flag, not a
    // Clear(), because the batch belongs to the claim in progress.
    private volatile bool _candidatesStale;

    /// <summary>One shard: the file store serves one host.</summary>
    public int ShardCount => 1;

    public int ShardOf(QueueId id) => 0;

    public ValueTask<MessageLease?> ClaimNextAsync(string holder, TimeSpan leaseDuration, IReadOnlyList<int> shards, CancellationToken cancellationToken) =>
        shards.Contains(0) ? ClaimNextAsync(holder, leaseDuration, cancellationToken) : ValueTask.FromResult<MessageLease?>(null);

    public async ValueTask<MessageLease?> ClaimNextAsync(string holder, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        await _claimGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ClaimOneAsync(holder, leaseDuration, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _claimGate.Release();
        }
    }

    private async ValueTask<MessageLease?> ClaimOneAsync(string holder, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_candidatesStale)
        {
            _candidatesStale = false;
            _candidates.Clear();
        }
        bool rescanned = false;
        while (true)
        {
            if (_candidates.Count == 0)
            {
                if (rescanned) return null;
                foreach (var candidate in ReadyCandidates(now).Take(ScanBatch)) _candidates.Enqueue(candidate);
                rescanned = true;
                continue;
            }
            var (queue, path) = _candidates.Dequeue();
            var id = new QueueId(Path.GetFileName(path));
            using var held = await _lock.AcquireMessageAsync(id, cancellationToken).ConfigureAwait(false);
            if (!IsStillDue(queue, path, now)) continue; // claimed, moved or renewed since the scan
            string activePath = _layout.MessagePath(QueueName.Active, id);
            if (queue != QueueName.Active && !MessageFile.TryMove(path, activePath)) continue;
            var record = await ReadOrQuarantineAsync(QueueName.Active, id, cancellationToken).ConfigureAwait(false);
            if (record is null) continue;
            record.Fence++;
            record.Holder = holder;
            record.LeaseExpires = now + leaseDuration;
            await SaveActiveAsync(id, record, cancellationToken).ConfigureAwait(false);
            return ToLease(record);
        }
    }

    private static bool IsStillDue(QueueName queue, string path, DateTimeOffset now)
    {
        var file = new FileInfo(path);
        return file.Exists && FileQueueLayout.IsReady(file)
            && (queue == QueueName.Incoming || file.LastWriteTimeUtc <= now.UtcDateTime);
    }

    public async ValueTask<MessageLease> RenewAsync(MessageLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        using var held = await _lock.AcquireMessageAsync(lease.Id, cancellationToken).ConfigureAwait(false);
        var record = await ReadFencedAsync(lease, cancellationToken).ConfigureAwait(false);
        record.LeaseExpires = _time.GetUtcNow() + leaseDuration;
        await SaveActiveAsync(lease.Id, record, cancellationToken).ConfigureAwait(false);
        return ToLease(record);
    }

    public async ValueTask<OutcomeResult> RecordOutcomeAsync(MessageLease lease, int recipientIndex, RecipientOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Status == RecipientStatus.Pending) throw new ArgumentException("an outcome cannot be pending", nameof(outcome));
        using var held = await _lock.AcquireMessageAsync(lease.Id, cancellationToken).ConfigureAwait(false);
        var record = await ReadFencedAsync(lease, cancellationToken).ConfigureAwait(false);
        var recipients = record.Envelope.Recipients;
        if ((uint)recipientIndex >= (uint)recipients.Count) throw new ArgumentOutOfRangeException(nameof(recipientIndex));
        if (EnvelopeCodec.ToState(recipients[recipientIndex]).IsFinal) return OutcomeResult.AlreadyFinal;
        EnvelopeCodec.SetState(recipients[recipientIndex], new RecipientState(outcome.Status, outcome.Dsn, outcome.Reason, _time.GetUtcNow()));
        await SaveActiveAsync(lease.Id, record, cancellationToken).ConfigureAwait(false);
        return OutcomeResult.Recorded;
    }

    public async ValueTask<QueueName?> FinishAsync(MessageLease lease, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        using var held = await _lock.AcquireMessageAsync(lease.Id, cancellationToken).ConfigureAwait(false);
        var record = await ReadFencedAsync(lease, cancellationToken).ConfigureAwait(false);
        string activePath = _layout.MessagePath(QueueName.Active, lease.Id);
        if (record.Envelope.Recipients.All(r => EnvelopeCodec.ToState(r).IsFinal))
        {
            await RemoveAsync(activePath, lease.Id, cancellationToken).ConfigureAwait(false);
            return null;
        }
        record.Attempts++;
        record.NotBefore = retryAt;
        record.Holder = null;
        record.LeaseExpires = null;
        // Rewrite in active/ first, then rename: a crash in between leaves an unleased active file that
        // recovery (or the next claim) picks up again.
        await MessageFile.WriteAsync(_layout.NewTempPath(lease.Id), activePath, record, retryAt, overwrite: true, cancellationToken).ConfigureAwait(false);
        MessageFile.TryMove(activePath, _layout.MessagePath(QueueName.Deferred, lease.Id));
        lock (_scanGate)
            if (retryAt < _deferredScanAfter) _deferredScanAfter = retryAt;
        return QueueName.Deferred;
    }

    /// <summary>Incoming first (oldest ID first), then deferred mail whose time has come, then expired leases.</summary>
    private IEnumerable<(QueueName Queue, string Path)> ReadyCandidates(DateTimeOffset now)
    {
        foreach (var path in _layout.Messages(QueueName.Incoming).Select(f => f.FullName).Order(StringComparer.Ordinal))
            yield return (QueueName.Incoming, path);
        foreach (var path in DueFiles(QueueName.Deferred, now, ref _deferredScanAfter))
            yield return (QueueName.Deferred, path);
        foreach (var path in DueFiles(QueueName.Active, now, ref _activeScanAfter))
            yield return (QueueName.Active, path);
    }

    /// <summary>Files whose modification time (not-before, or lease expiry) has passed; updates when to look next.</summary>
    private List<string> DueFiles(QueueName queue, DateTimeOffset now, ref DateTimeOffset scanAfter)
    {
        var due = new List<string>();
        lock (_scanGate)
            if (now < scanAfter) return due;
        var next = now + RescanInterval;
        foreach (var info in _layout.Messages(queue))
        {
            var when = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
            if (when <= now) due.Add(info.FullName);
            else if (when < next) next = when;
        }
        lock (_scanGate)
            scanAfter = due.Count > 0 ? DateTimeOffset.MinValue : next < scanAfter || scanAfter <= now ? next : scanAfter;
        return due;
    }

    private async ValueTask<MessageRecord> ReadFencedAsync(MessageLease lease, CancellationToken cancellationToken)
    {
        var record = await MessageFile.TryReadAsync(_layout.MessagePath(QueueName.Active, lease.Id), cancellationToken).ConfigureAwait(false);
        if (record is null) throw new LeaseLostException(lease.Id, "no longer in the active queue");
        if (record.Fence != lease.Token) throw new LeaseLostException(lease.Id, $"fencing token {lease.Token} is stale (now {record.Fence})");
        return record;
    }

    private ValueTask SaveActiveAsync(QueueId id, MessageRecord record, CancellationToken cancellationToken)
    {
        var expires = record.LeaseExpires ?? _time.GetUtcNow();
        lock (_scanGate)
            if (expires < _activeScanAfter) _activeScanAfter = expires;
        return MessageFile.WriteAsync(_layout.NewTempPath(id), _layout.MessagePath(QueueName.Active, id), record, expires, overwrite: true, cancellationToken);
    }

    /// <summary>Reads a state file; one that cannot be parsed goes to corrupt/ (as Postfix does) and yields null.</summary>
    private async ValueTask<MessageRecord?> ReadOrQuarantineAsync(QueueName queue, QueueId id, CancellationToken cancellationToken)
    {
        string path = _layout.MessagePath(queue, id);
        try
        {
            return await MessageFile.TryReadAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException)
        {
            MessageFile.TryMove(path, _layout.MessagePath(QueueName.Corrupt, id));
            return null;
        }
    }

    private async ValueTask RemoveAsync(string statePath, QueueId id, CancellationToken cancellationToken)
    {
        // State first: a body without state is an orphan that recovery removes; the reverse would be a broken message.
        System.IO.File.Delete(statePath);
        DirectorySync.Flush(Path.GetDirectoryName(statePath)!);
        await Bodies.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
    }

    private MessageLease ToLease(MessageRecord record) => new(
        new QueueId(record.Id), record.Fence, record.Holder!, record.LeaseExpires!.Value, MessageFile.ToMessage(QueueName.Active, record));
}

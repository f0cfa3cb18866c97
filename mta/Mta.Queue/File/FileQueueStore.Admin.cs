using System.Runtime.CompilerServices;

namespace Mta.Queue.File;

public sealed partial class FileQueueStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _arrivals = new(StringComparer.Ordinal);

    public async ValueTask<QueuedMessage?> GetAsync(QueueId id, CancellationToken cancellationToken)
    {
        if (!QueueId.IsValid(id.Value)) return null;
        // A message may move between the directory probe and the read; look again in that case.
        for (int attempt = 0; attempt < 3; attempt++)
        {
            if (_layout.Locate(id) is not { } queue) return null;
            Format.MessageRecord? record;
            try
            {
                record = await MessageFile.TryReadAsync(_layout.MessagePath(queue, id), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException)
            {
                return null;
            }
            if (record is not null) return MessageFile.ToMessage(queue, record);
        }
        return null;
    }

    public ValueTask<Stream> OpenBodyAsync(QueueId id, CancellationToken cancellationToken) => Bodies.OpenReadAsync(id, cancellationToken);

    public async IAsyncEnumerable<QueuedMessage> ListAsync(QueueName? queue, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var name in queue is { } only ? [only] : QueueNames.All)
        {
            foreach (var file in _layout.Messages(name))
            {
                string path = file.FullName;
                Format.MessageRecord? record;
                try
                {
                    record = await MessageFile.TryReadAsync(path, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException)
                {
                    continue; // unreadable: left for the queue manager to quarantine
                }
                if (record is not null) yield return MessageFile.ToMessage(name, record);
            }
        }
    }

    public ValueTask<bool> HoldAsync(QueueId id, CancellationToken cancellationToken) =>
        MoveAsync(id, from => from is not QueueName.Hold and not QueueName.Corrupt, QueueName.Hold, cancellationToken);

    public ValueTask<bool> ReleaseAsync(QueueId id, CancellationToken cancellationToken) =>
        MoveAsync(id, from => from == QueueName.Hold, QueueName.Deferred, cancellationToken);

    public ValueTask<bool> RequeueAsync(QueueId id, CancellationToken cancellationToken) =>
        MoveAsync(id, from => from != QueueName.Corrupt, QueueName.Incoming, cancellationToken);

    public async ValueTask<bool> DeleteAsync(QueueId id, CancellationToken cancellationToken)
    {
        if (!QueueId.IsValid(id.Value)) return false;
        using var held = await _lock.AcquireAsync(cancellationToken).ConfigureAwait(false);
        if (_layout.Locate(id) is not { } queue) return false;
        await RemoveAsync(_layout.MessagePath(queue, id), id, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<int> FlushAsync(CancellationToken cancellationToken)
    {
        using var held = await _lock.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        int count = 0;
        foreach (var file in _layout.Messages(QueueName.Deferred))
        {
            string path = file.FullName;
            var id = new QueueId(file.Name);
            if (await ReadOrQuarantineAsync(QueueName.Deferred, id, cancellationToken).ConfigureAwait(false) is not { } record) continue;
            record.NotBefore = null;
            await MessageFile.WriteAsync(_layout.NewTempPath(id), path, record, now, overwrite: true, cancellationToken).ConfigureAwait(false);
            count++;
        }
        lock (_scanGate)
            _deferredScanAfter = DateTimeOffset.MinValue;
        _candidatesStale = true;
        return count;
    }

    public async ValueTask<IReadOnlyList<QueueDepth>> GetDepthsAsync(CancellationToken cancellationToken)
    {
        // Arrival never changes, so each state file is read once per message, not once per metrics scrape.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var depths = new List<QueueDepth>(QueueNames.All.Count);
        foreach (var queue in QueueNames.All)
        {
            long count = 0;
            DateTimeOffset? oldest = null;
            foreach (var file in _layout.Messages(queue))
            {
                string path = file.FullName, name = file.Name;
                if (!_arrivals.TryGetValue(name, out var arrival))
                {
                    Format.MessageRecord? record = null;
                    try
                    {
                        record = await MessageFile.TryReadAsync(path, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException)
                    {
                    }
                    if (record is null) QueueId.TryGetTime(name, out arrival);
                    else _arrivals[name] = arrival = record.Envelope.Arrival;
                }
                seen.Add(name);
                count++;
                if (oldest is null || arrival < oldest) oldest = arrival;
            }
            depths.Add(new QueueDepth(queue, count, oldest));
        }
        foreach (var gone in _arrivals.Keys.Where(k => !seen.Contains(k)).ToList()) _arrivals.TryRemove(gone, out _);
        return depths;
    }

    /// <summary>
    /// Moves a message between queues, clearing any lease (the holder's next write fails its fencing check
    /// because the message is no longer in active/) and making it ready now when it lands in incoming or deferred.
    /// </summary>
    private async ValueTask<bool> MoveAsync(QueueId id, Func<QueueName, bool> allowedFrom, QueueName to, CancellationToken cancellationToken)
    {
        if (!QueueId.IsValid(id.Value)) return false;
        using var held = await _lock.AcquireAsync(cancellationToken).ConfigureAwait(false);
        if (_layout.Locate(id) is not { } from || !allowedFrom(from)) return false;
        if (await ReadOrQuarantineAsync(from, id, cancellationToken).ConfigureAwait(false) is not { } record) return false;
        var now = _time.GetUtcNow();
        record.Holder = null;
        record.LeaseExpires = null;
        record.NotBefore = null;
        string source = _layout.MessagePath(from, id);
        await MessageFile.WriteAsync(_layout.NewTempPath(id), source, record, now, overwrite: true, cancellationToken).ConfigureAwait(false);
        if (!MessageFile.TryMove(source, _layout.MessagePath(to, id))) return false;
        if (to == QueueName.Deferred)
            lock (_scanGate)
                _deferredScanAfter = DateTimeOffset.MinValue;
        _candidatesStale = true; // what became ready should not wait behind an older batch
        return true;
    }
}

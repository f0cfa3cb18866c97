using Mta.Queue.Format;
using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>
/// One message being received into Redis. Nothing reaches Redis before commit; commit is one script that
/// writes body, envelope and the incoming index together (bodies kept elsewhere are sealed first). With
/// appendfsync always, the reply comes after the AOF fsync: durable before 250.
/// </summary>
internal sealed class RedisMessageWriter(QueueId id, IBodyWriter body, RedisQueueStore store) : IMessageWriter
{
    private bool _committed;
    private bool _disposed;

    public QueueId Id => id;

    public long Length => body.Length;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return body.WriteAsync(content, cancellationToken);
    }

    public async ValueTask CommitAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed) throw new InvalidOperationException($"{id}: already committed");
        var inline = body as RedisBodyStore.BufferedBodyWriter;
        if (inline is null) await body.SealAsync(cancellationToken).ConfigureAwait(false);
        long now = store.NowMilliseconds();
        RedisValue[] args =
        [
            id.Value,
            EnvelopeCodec.Serialize(EnvelopeCodec.ToRecord(envelope)),
            body.Length,
            envelope.ArrivalTime.ToUnixTimeMilliseconds(),
            now,
            inline is null ? "0" : "1",
            inline is null ? RedisValue.EmptyString : inline.Content,
        ];
        await store.RunMessageScriptAsync(RedisScripts.Enqueue, id, args, "enqueue", cancellationToken).ConfigureAwait(false);
        await store.WaitForReplicasAsync(id, cancellationToken).ConfigureAwait(false);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await body.DisposeAsync().ConfigureAwait(false);
        if (!_committed && body is not RedisBodyStore.BufferedBodyWriter)
            await store.Bodies.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
    }
}

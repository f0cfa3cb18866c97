using Mta.Queue.Format;
using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>
/// One message being received into Redis. Nothing reaches Redis before commit; commit is one script that
/// writes body, envelope and the incoming index together (bodies kept elsewhere are sealed first). With
/// appendfsync always, the reply comes after the AOF fsync: durable before 250.
/// </summary>
internal sealed class RedisMessageWriter(QueueId queueId, IBodyWriter bodyWriter, RedisQueueStore store) : MessageWriter(queueId, bodyWriter)
{
    protected override async ValueTask CommitCoreAsync(Envelope envelope, QueueName queue, CancellationToken cancellationToken)
    {
        var inline = Body as RedisBodyStore.BufferedBodyWriter;
        if (inline is null) await Body.SealAsync(cancellationToken).ConfigureAwait(false);
        long now = store.NowMilliseconds();
        RedisValue[] args =
        [
            Id.Value,
            EnvelopeCodec.Serialize(EnvelopeCodec.ToRecord(envelope)),
            Body.Length,
            envelope.ArrivalTime.ToUnixTimeMilliseconds(),
            now,
            inline is null ? "0" : "1",
            inline is null ? RedisValue.EmptyString : inline.Content,
            queue.ToPostfixName(),
        ];
        await store.RunMessageScriptAsync(RedisScripts.Enqueue, Id, args, "enqueue", cancellationToken).ConfigureAwait(false);
        await store.WaitForReplicasAsync(Id, cancellationToken).ConfigureAwait(false);
    }

    // A buffered body never left the process; only a body sealed into a separate store has something to remove.
    protected override ValueTask DiscardBodyAsync() => Body is RedisBodyStore.BufferedBodyWriter
        ? ValueTask.CompletedTask
        : store.Bodies.DeleteAsync(Id, CancellationToken.None);
}

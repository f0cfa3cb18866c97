using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>
/// Bodies as Redis strings next to their message (same shard slot). The queue store writes a body in the
/// same script as its envelope; written alone (<see cref="IBodyWriter.SealAsync"/>), a body expires unless
/// an envelope commits, like an object-store upload without its manifest.
/// </summary>
internal sealed class RedisBodyStore(IDatabase database, RedisKeys keys, TimeSpan orphanLifetime) : IBodyStore
{
    private Task<bool> SetOrphanAsync(QueueId id, ReadOnlyMemory<byte> content) =>
        database.StringSetAsync(keys.Body(id), content, orphanLifetime);

    public ValueTask<IBodyWriter> CreateAsync(QueueId id, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IBodyWriter>(new BufferedBodyWriter(this, id));

    public async ValueTask<Stream> OpenReadAsync(QueueId id, CancellationToken cancellationToken)
    {
        var value = await RedisCalls.RunAsync(() => database.StringGetAsync(keys.Body(id)), "read body", cancellationToken).ConfigureAwait(false);
        if (value.IsNull) throw new FileNotFoundException($"{id}: no such message body");
        return new MemoryStream((byte[])value!, writable: false);
    }

    public async ValueTask DeleteAsync(QueueId id, CancellationToken cancellationToken) =>
        await RedisCalls.RunAsync(() => database.KeyDeleteAsync(keys.Body(id)), "delete body", cancellationToken).ConfigureAwait(false);

    /// <summary>Collects the body in memory until commit; Redis sees nothing of an uncommitted message.</summary>
    internal sealed class BufferedBodyWriter(RedisBodyStore owner, QueueId id) : IBodyWriter
    {
        private MemoryStream? _buffer = new();

        public long Length => _buffer?.Length ?? 0;

        /// <summary>The bytes written so far, for the enqueue script.</summary>
        public ReadOnlyMemory<byte> Content =>
            (_buffer ?? throw new ObjectDisposedException(nameof(BufferedBodyWriter))).GetBuffer().AsMemory(0, (int)_buffer.Length);

        public ValueTask WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
        {
            (_buffer ?? throw new ObjectDisposedException(nameof(BufferedBodyWriter))).Write(content.Span);
            return ValueTask.CompletedTask;
        }

        public async ValueTask SealAsync(CancellationToken cancellationToken) =>
            await RedisCalls.RunAsync(
                () => owner.SetOrphanAsync(id, Content),
                "write body", cancellationToken).ConfigureAwait(false);

        public ValueTask DisposeAsync()
        {
            _buffer = null;
            return ValueTask.CompletedTask;
        }
    }
}

namespace Mta.Queue;

/// <summary>
/// Where message bodies live, apart from envelopes and queue state, so bodies can move to an
/// object store (S3) without touching the scheduler. A body alone is not a message: it becomes
/// one only when its store commits an envelope that refers to it.
/// </summary>
public interface IBodyStore
{
    /// <summary>Starts a body; disposing the writer without <see cref="IBodyWriter.SealAsync"/> discards it.</summary>
    ValueTask<IBodyWriter> CreateAsync(QueueId id, CancellationToken cancellationToken);

    /// <summary>Reads a sealed body. Throws <see cref="FileNotFoundException"/> when it does not exist.</summary>
    ValueTask<Stream> OpenReadAsync(QueueId id, CancellationToken cancellationToken);

    /// <summary>Removes a body; no error when it is already gone.</summary>
    ValueTask DeleteAsync(QueueId id, CancellationToken cancellationToken);
}

/// <summary>Receives one body's bytes.</summary>
public interface IBodyWriter : IAsyncDisposable
{
    long Length { get; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Makes the body durable. It stays unreferenced (and is eventually collected) until an envelope commits.</summary>
    ValueTask SealAsync(CancellationToken cancellationToken);
}

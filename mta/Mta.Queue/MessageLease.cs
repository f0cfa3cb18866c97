namespace Mta.Queue;

/// <summary>
/// A claim on one message for delivery. The fencing <see cref="Token"/> grows with every claim of the message:
/// a holder whose lease expired and was taken over has a smaller token, and the store rejects its writes.
/// </summary>
/// <param name="Id">The message.</param>
/// <param name="Token">Fencing token: checked by every write made under this lease.</param>
/// <param name="Holder">Who holds it (pod or process name), for logs and postqueue.</param>
/// <param name="ExpiresAt">When others may take it over unless renewed.</param>
/// <param name="Message">The message as it was at claim time.</param>
public sealed record MessageLease(QueueId Id, long Token, string Holder, DateTimeOffset ExpiresAt, QueuedMessage Message);

/// <summary>The lease is gone (expired and taken over, or the message was held, deleted or requeued): stop and write nothing.</summary>
public sealed class LeaseLostException(QueueId id, string message) : Exception($"{id}: {message}")
{
    public QueueId Id { get; } = id;
}

namespace Mta.Queue;

/// <summary>
/// A message as the queue holds it: envelope, per-recipient state and scheduling facts.
/// What mailq/postqueue -j print and what the scheduler plans with.
/// </summary>
/// <param name="Id">Queue ID.</param>
/// <param name="Queue">The queue it is in now.</param>
/// <param name="Envelope">Sender, recipients, DSN requests, arrival time.</param>
/// <param name="Size">Body size in bytes (headers included), as mailq shows.</param>
/// <param name="Recipients">State of each recipient, index-aligned with <see cref="Envelope.Recipients"/>.</param>
/// <param name="NotBefore">Earliest next attempt (deferred), or null when ready now.</param>
/// <param name="Attempts">Delivery attempts so far (claims that ended in defer).</param>
public sealed record QueuedMessage(
    QueueId Id,
    QueueName Queue,
    Envelope Envelope,
    long Size,
    IReadOnlyList<RecipientState> Recipients,
    DateTimeOffset? NotBefore,
    int Attempts)
{
    public bool AllRecipientsFinal => Recipients.All(r => r.IsFinal);
}

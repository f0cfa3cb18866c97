namespace Mta.Delivery.Agents;

/// <summary>
/// A delivery agent (Postfix's smtp, lmtp, local, virtual, discard, error): takes one delivery request — one
/// message, one transport and next hop, up to the recipient limit — and says what happened to each recipient.
/// It never touches queue state: the queue manager records outcomes, logs them and bounces.
/// </summary>
public interface IDeliveryAgent
{
    /// <summary>
    /// Delivers and returns at least one result per request recipient (more when one recipient expanded, e.g. an
    /// alias, each with its <see cref="RecipientResult.FinalAddress"/>). Throws only on cancellation: every
    /// failure is a deferred or bounced result.
    /// </summary>
    ValueTask<IReadOnlyList<RecipientResult>> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken);
}

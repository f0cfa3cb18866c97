using Mta.Delivery.Agents;
using Mta.Queue;

namespace Mta.Delivery.Simple;

/// <summary>
/// discard(8): claims delivery of every recipient without delivering (status=sent, relay=none), the reason being
/// the next-hop text of "discard:text" or "discarded" when there is none.
/// </summary>
public sealed class DiscardDeliveryAgent(AgentContext context) : IDeliveryAgent
{
    /// <summary>The service this agent runs as (its master.cf entry).</summary>
    public AgentContext Context { get; } = context;

    public ValueTask<IReadOnlyList<RecipientResult>> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var text = request.Nexthop.Trim();
        var outcome = RecipientOutcome.Delivered("2.0.0", text.Length > 0 ? text : "discarded");
        IReadOnlyList<RecipientResult> results = request.Recipients
            .Select(r => new RecipientResult(r.Index, outcome, "none"))
            .ToList();
        return ValueTask.FromResult(results);
    }
}

using Mta.Delivery.Agents;
using Mta.Queue;

namespace Mta.Delivery.Simple;

/// <summary>
/// error(8): fails every recipient with the next-hop text ("error:5.1.1 no such list" or "error:no such list";
/// the default status is 5.0.0). Run as the master.cf service "retry" (Postfix's retry service is this same
/// program) it defers instead, with a 4.x.x status. relay=none.
/// </summary>
public sealed class ErrorDeliveryAgent(AgentContext context) : IDeliveryAgent
{
    private const string RetryService = "retry";

    public ValueTask<IReadOnlyList<RecipientResult>> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool retry = string.Equals(context.Service.Name, RetryService, StringComparison.Ordinal);
        var (dsn, text) = DsnText.Split(request.Nexthop, retry ? "4.0.0" : "5.0.0");
        if (text.Length == 0)
            text = "unknown mail transport error";
        var outcome = retry
            ? RecipientOutcome.Deferred("4" + dsn[1..], text)
            : dsn[0] == '4' ? RecipientOutcome.Deferred(dsn, text) : RecipientOutcome.Bounced(dsn, text);
        IReadOnlyList<RecipientResult> results = request.Recipients
            .Select(r => new RecipientResult(r.Index, outcome, "none"))
            .ToList();
        return ValueTask.FromResult(results);
    }
}

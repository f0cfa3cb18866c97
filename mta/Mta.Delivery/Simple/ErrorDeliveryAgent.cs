using Mta.Delivery.Agents;
using Mta.Queue;

namespace Mta.Delivery.Simple;

/// <summary>
/// error(8): fails every recipient with the next-hop text ("error:5.1.1 no such list" or "error:no such list";
/// the default status is 5.0.0). Run as the master.cf service "retry" (Postfix's retry service is this same
/// program) it defers instead (default 4.0.0). A code of the other class is replaced by the default. relay=none.
/// </summary>
public sealed class ErrorDeliveryAgent(AgentContext context) : IDeliveryAgent
{
    private const string RetryService = "retry";

    public ValueTask<IReadOnlyList<RecipientResult>> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool retry = string.Equals(context.Service.Name, RetryService, StringComparison.Ordinal);
        var defaultDsn = retry ? "4.0.0" : "5.0.0";
        var (dsn, text) = DsnText.Split(request.Nexthop, defaultDsn);
        if (text.Length == 0)
            text = "unknown mail transport error";
        if (dsn[0] != defaultDsn[0])
        {
            // bounce_append()/defer_append() keep their own class: a wrong-class code is replaced, with a warning.
            context.Log.Write(context.ProgramName, $"warning: {(retry ? "defer_append" : "bounce_append")}: ignoring dsn code \"{dsn}\"");
            dsn = defaultDsn;
        }
        var outcome = retry ? RecipientOutcome.Deferred(dsn, text) : RecipientOutcome.Bounced(dsn, text);
        IReadOnlyList<RecipientResult> results = request.Recipients
            .Select(r => new RecipientResult(r.Index, outcome, "none"))
            .ToList();
        return ValueTask.FromResult(results);
    }
}

using Mta.Delivery.Agents;
using Mta.Queue;

namespace Mta.Delivery.Local;

/// <summary>Everything one top-level recipient's expansion accumulates: its results, its forwards and its duplicate filter.</summary>
public sealed class RecipientJob(DeliveryRequest request, DeliveryRecipient recipient, DeliveredToHeaders loop)
{
    private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);

    public DeliveryRequest Request { get; } = request;
    public DeliveryRecipient Recipient { get; } = recipient;
    public DeliveredToHeaders Loop { get; } = loop;
    public List<RecipientResult> Results { get; } = [];
    public List<PendingForward> Forwards { get; } = [];

    /// <summary>been_here(): true the first time a key is seen within this recipient's expansion.</summary>
    public bool FirstTime(string key) => _seen.Add(key);

    /// <summary>Records an outcome for the address being delivered at <paramref name="state"/>'s level.</summary>
    public void Report(ExpansionState state, RecipientOutcome outcome)
    {
        var final = string.Equals(state.Address, Recipient.Address, StringComparison.OrdinalIgnoreCase) ? null : state.Address;
        Results.Add(new RecipientResult(Recipient.Index, outcome, "local", final));
    }
}

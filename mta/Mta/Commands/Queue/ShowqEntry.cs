using Mta.Queue;

namespace Mta.Commands.Queue;

/// <summary>
/// One queued message as showq(8) reports it to postqueue: queue, ID, arrival, size, sender (the null sender
/// as empty_address_recipient) and the recipients still to be delivered, each with its last delay reason ("" when
/// it has none yet). Delivered and bounced recipients are not listed, as showq skips done recipients.
/// </summary>
internal sealed record ShowqEntry(
    QueueName Queue,
    QueueId Id,
    DateTimeOffset Arrival,
    long Size,
    bool ForcedExpire,
    string Sender,
    IReadOnlyList<ShowqRecipient> Recipients)
{
    /// <summary>showq's scan order: incoming, active, deferred, hold (there is no maildrop; corrupt is never shown).</summary>
    public static readonly IReadOnlyList<QueueName> ShownQueues = [QueueName.Incoming, QueueName.Active, QueueName.Deferred, QueueName.Hold];

    public static ShowqEntry From(QueuedMessage message, string emptyAddress)
    {
        var recipients = new List<ShowqRecipient>(message.Recipients.Count);
        for (var i = 0; i < message.Envelope.Recipients.Count; i++)
        {
            var state = i < message.Recipients.Count ? message.Recipients[i] : RecipientState.Pending;
            if (state.IsFinal)
                continue;
            var reason = state.Status == RecipientStatus.Deferred ? state.Reason ?? "" : "";
            recipients.Add(new ShowqRecipient(message.Envelope.Recipients[i].Address, reason));
        }
        var sender = message.Envelope.Sender.Length == 0 ? emptyAddress : message.Envelope.Sender;
        return new ShowqEntry(message.Queue, message.Id, message.Envelope.ArrivalTime, message.Size, false, sender, recipients);
    }

    /// <summary>Every shown message of the store, queue by queue in showq's order, oldest first within a queue.</summary>
    public static async Task<IReadOnlyList<ShowqEntry>> ListAsync(IQueueConsumer store, string emptyAddress, CancellationToken cancellationToken)
    {
        var entries = new List<ShowqEntry>();
        foreach (var queue in ShownQueues)
        {
            var messages = new List<QueuedMessage>();
            await foreach (var message in store.ListAsync(queue, cancellationToken).ConfigureAwait(false))
                messages.Add(message);
            entries.AddRange(messages
                .OrderBy(m => m.Envelope.ArrivalTime)
                .ThenBy(m => m.Id.Value, StringComparer.Ordinal)
                .Select(m => From(m, emptyAddress)));
        }
        return entries;
    }
}

/// <summary>A recipient showq lists, with its delay reason or "".</summary>
internal sealed record ShowqRecipient(string Address, string Reason);

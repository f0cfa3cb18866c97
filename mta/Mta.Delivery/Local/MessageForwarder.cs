using System.Text;
using Mta.Delivery.Agents;
using Mta.Queue;

namespace Mta.Delivery.Local;

/// <summary>
/// Queues forwarded mail as new messages (forward.c): the same stored bytes, with "Delivered-To: X" prepended when
/// prepend_delivered_header has "forward", one message per (Delivered-To, sender) group. Each recipient in a group
/// is reported "forwarded as NEWID"; when the queue cannot take the message they are deferred.
/// </summary>
public sealed class MessageForwarder(IQueueStore queue, bool prependDeliveredTo)
{
    /// <summary>Queues every group and returns one result per forwarded destination.</summary>
    public async ValueTask<IReadOnlyList<RecipientResult>> ForwardAsync(DeliveryRequest request, IReadOnlyList<PendingForward> forwards,
        CancellationToken cancellationToken)
    {
        var results = new List<RecipientResult>();
        foreach (var group in forwards.GroupBy(f => (f.DeliveredTo.ToLowerInvariant(), f.Sender, f.KeepDsn)))
        {
            var members = group.ToList();
            RecipientOutcome outcome;
            try
            {
                var id = await QueueAsync(request, members, cancellationToken);
                outcome = RecipientOutcome.Delivered("2.0.0", $"forwarded as {id}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome = RecipientOutcome.Deferred("4.3.0", $"mail forwarding error: {e.Message}");
            }
            results.AddRange(members.Select(m => new RecipientResult(m.Index, outcome, "local", m.Recipient.Address)));
        }
        return results;
    }

    private async ValueTask<QueueId> QueueAsync(DeliveryRequest request, IReadOnlyList<PendingForward> members,
        CancellationToken cancellationToken)
    {
        var first = members[0];
        var original = request.Message.Envelope;
        var envelope = new Envelope(
            first.Sender,
            members.Select(m => m.Recipient).DistinctBy(r => r.Address.ToLowerInvariant()).ToList(),
            DateTimeOffset.UtcNow,
            first.KeepDsn ? original.Ret : null,
            first.KeepDsn ? original.EnvId : null,
            ClientName: "local",
            Smtputf8: original.Smtputf8,
            Body8Bit: original.Body8Bit);
        var id = queue.NewQueueId();
        await using var writer = await queue.BeginMessageAsync(id, cancellationToken);
        if (prependDeliveredTo)
            await writer.WriteAsync(Encoding.UTF8.GetBytes($"Delivered-To: {AddressQuoting.QuoteLocalPart(first.DeliveredTo)}\r\n"), cancellationToken);
        await using (var body = await request.OpenBody(cancellationToken))
        {
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await body.ReadAsync(buffer, cancellationToken)) > 0)
                await writer.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
        }
        await writer.CommitAsync(envelope, cancellationToken);
        return id;
    }
}

namespace Mta.Queue;

/// <summary>
/// Flushing one site (ETRN, postqueue -s, sendmail -qR): deferred mail with a recipient still to be delivered at the
/// site becomes ready now. Postfix's flush(8) keeps per-site logs of queue IDs; here the deferred queue is listed
/// instead, which costs one scan per request — fine for the rare command it is.
/// </summary>
public static class SiteFlush
{
    /// <summary>Requeues the deferred messages with a pending recipient at <paramref name="site"/>; returns how many.</summary>
    public static async Task<int> RunAsync(IQueueConsumer queue, string site, CancellationToken cancellationToken)
    {
        // Collected first, moved after: the listing never sees a queue that changes under it.
        var due = new List<QueueId>();
        await foreach (var message in queue.ListAsync(QueueName.Deferred, cancellationToken).ConfigureAwait(false))
            if (HasPendingRecipientAt(message, site))
                due.Add(message.Id);
        foreach (var id in due)
            await queue.RequeueAsync(id, cancellationToken).ConfigureAwait(false);
        return due.Count;
    }

    private static bool HasPendingRecipientAt(QueuedMessage message, string site)
    {
        for (var i = 0; i < message.Envelope.Recipients.Count; i++)
        {
            var final = i < message.Recipients.Count && message.Recipients[i].IsFinal;
            if (!final && IsAt(message.Envelope.Recipients[i].Address, site))
                return true;
        }
        return false;
    }

    /// <summary>True when the address's domain is the site (case-insensitive; "[1.2.3.4]" matches a literal domain).</summary>
    private static bool IsAt(string address, string site)
    {
        var at = address.LastIndexOf('@');
        return at >= 0 && address.AsSpan(at + 1).Equals(site, StringComparison.OrdinalIgnoreCase);
    }
}

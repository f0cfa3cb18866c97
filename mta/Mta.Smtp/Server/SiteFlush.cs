using Mta.Queue;

namespace Mta.Smtp.Server;

/// <summary>
/// ETRN's work (Postfix's flush(8) "send site"): deferred mail with a recipient at the site becomes ready now, so the
/// queue manager tries it at its next claim. Postfix keeps a per-site log of queue IDs; the queue is listed instead,
/// which costs a scan of the deferred queue per ETRN — fine for the rare command it is.
/// </summary>
internal static class SiteFlush
{
    public static async Task RunAsync(IQueueConsumer queue, string site, Action<string> log)
    {
        try
        {
            await foreach (var message in queue.ListAsync(QueueName.Deferred, CancellationToken.None).ConfigureAwait(false))
            {
                if (HasPendingRecipientAt(message, site))
                    await queue.RequeueAsync(message.Id, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is QueueUnavailableException or IOException)
        {
            log($"warning: flush {site}: {e.Message}");
        }
    }

    private static bool HasPendingRecipientAt(QueuedMessage message, string site)
    {
        for (var i = 0; i < message.Recipients.Count; i++)
        {
            var address = message.Envelope.Recipients[i].Address;
            var at = address.LastIndexOf('@');
            if (!message.Recipients[i].IsFinal && at >= 0 && address.AsSpan(at + 1).Equals(site, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}

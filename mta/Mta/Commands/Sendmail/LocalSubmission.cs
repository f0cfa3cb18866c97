using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Mta.Config;
using Mta.Master;
using Mta.Queue;
using Mta.Smtp;
using Mta.Smtp.Server;

namespace Mta.Commands.Sendmail;

/// <summary>
/// Postfix's postdrop + pickup + cleanup for a local submission, done in the sendmail process: the message goes
/// straight into the queue store through the same durable enqueue as smtpd's, so it is accepted even when no
/// master runs (the queue manager picks it up when one does). Adds pickup's Received: header and the missing
/// Message-Id:, Date: and From: headers, and logs pickup's and cleanup's lines.
/// </summary>
internal static class LocalSubmission
{
    [DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUid();

    public static async Task<QueueId> EnqueueAsync(InstanceConfig config, SendmailOptions options, SubmittedMessage message,
        IReadOnlyList<string> recipients, IMailLog log, CancellationToken cancellationToken)
    {
        var p = config.Parameters;
        var hostname = p.Get(ParameterCatalogue.MyHostname);
        var origin = p.Get(ParameterCatalogue.MyOrigin);
        var uid = GetUid();
        var login = Environment.UserName;
        var sender = Qualify(options.Sender ?? login, origin);
        var arrival = DateTimeOffset.Now;

        await using var store = await QueueStoreFactory.OpenAsync(config.QueueStore(recover: false), cancellationToken);
        var id = store.NewQueueId();

        var received = string.Create(CultureInfo.InvariantCulture,
            $"Received: by {hostname} ({p.Get(ParameterCatalogue.MailName)}, from userid {uid})\r\n\tid {id}; {MailDate.Format(arrival)}\r\n");
        var added = new StringBuilder();
        var messageId = CleanupHeaders.MessageIdValue(hostname, id, arrival);
        if (!message.Has("Message-Id"))
            added.Append("Message-Id: <").Append(messageId).Append(">\r\n");
        if (!message.Has("Date"))
            added.Append("Date: ").Append(MailDate.Format(arrival)).Append("\r\n");
        if (!message.Has("From"))
            added.Append("From: ").Append(options.FullName is { Length: > 0 } name ? $"{name} <{sender}>" : sender).Append("\r\n");
        var content = message.ToBytes(received, added.ToString());

        await using var writer = await store.BeginMessageAsync(id, cancellationToken);
        await writer.WriteAsync(content, cancellationToken);
        var envelope = new Envelope(sender, recipients.Select(r => new Recipient(Qualify(r, origin), r, Notify: options.Notify)).ToList(),
            arrival, options.Ret, options.EnvId, ClientName: "local");
        await writer.CommitAsync(envelope, cancellationToken);

        log.Write("postfix/pickup", $"{id}: uid={uid} from=<{options.Sender ?? login}>");
        log.Write("postfix/cleanup", $"{id}: message-id=<{MessageIdOf(message) ?? messageId}>");
        return id;
    }

    /// <summary>append_at_myorigin: a bare local part is qualified with $myorigin.</summary>
    private static string Qualify(string address, string origin) =>
        address.Length == 0 || address.Contains('@') ? address : $"{address}@{origin}";

    private static string? MessageIdOf(SubmittedMessage message)
    {
        var header = message.Headers.FirstOrDefault(h => h.StartsWith("Message-Id:", StringComparison.OrdinalIgnoreCase));
        return header?[(header.IndexOf(':') + 1)..].Trim().Trim('<', '>');
    }
}

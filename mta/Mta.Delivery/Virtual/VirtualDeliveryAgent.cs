using Mta.Config.Tables;
using Mta.Delivery.Agents;
using Mta.Delivery.Local;
using Mta.Queue;

namespace Mta.Delivery.Virtual;

/// <summary>
/// virtual(8): delivers each recipient to $virtual_mailbox_base/$virtual_mailbox_maps(recipient), looked up as
/// user+ext@domain, user@domain, then @domain. A result ending in "/" is a Maildir ("delivered to maildir"),
/// otherwise an mbox file locked per virtual_mailbox_lock ("delivered to mailbox"); files are capped at
/// virtual_mailbox_limit. Unknown recipients bounce 5.1.1 "unknown user: \"addr\"". relay=virtual.
/// virtual_uid_maps/virtual_gid_maps are not used: files are created as this process's user (no chown).
/// </summary>
public sealed class VirtualDeliveryAgent : IDeliveryAgent
{
    private const string Relay = "virtual";
    private readonly AgentContext _context;
    private readonly VirtualSettings _settings;
    private readonly IReadOnlyList<ILookupTable> _maps;

    public VirtualDeliveryAgent(AgentContext context)
    {
        _context = context;
        _settings = VirtualSettings.Bind(context.Parameters);
        _maps = _settings.MailboxMaps.Select(r => LookupTableFactory.Shared.Open(r)).ToList();
    }

    public async ValueTask<IReadOnlyList<RecipientResult>> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        var (loop, unreadable) = await DeliveredToHeaders.ReadForAsync(request, Relay, cancellationToken);
        if (loop is null)
            return unreadable;
        var results = new List<RecipientResult>(request.Recipients.Count);
        foreach (var recipient in request.Recipients)
            results.Add(new RecipientResult(recipient.Index, await DeliverOneAsync(request, recipient, loop, cancellationToken), Relay));
        return results;
    }

    private async ValueTask<RecipientOutcome> DeliverOneAsync(DeliveryRequest request, DeliveryRecipient recipient,
        DeliveredToHeaders loop, CancellationToken cancellationToken)
    {
        var address = recipient.Address;
        if (loop.Contains(address))
            return RecipientOutcome.Bounced("5.4.6", $"mail forwarding loop for {address}");
        var user = address.ToLowerInvariant();
        string? mailbox;
        try
        {
            mailbox = await FindMailboxAsync(user, cancellationToken);
        }
        catch (TableLookupException e)
        {
            _context.Log.Write(_context.ProgramName, "warning: " + e.Message);
            return RecipientOutcome.Deferred("4.3.0", "mail system configuration error");
        }
        if (mailbox is null)
            return RecipientOutcome.Bounced("5.1.1", $"unknown user: \"{user}\"");
        if (_settings.MailboxBase.Length == 0 || mailbox.Contains("/../") || mailbox.StartsWith("../", StringComparison.Ordinal))
        {
            _context.Log.Write(_context.ProgramName, $"warning: recipient {address}: bad virtual_mailbox_base or mailbox path \"{mailbox}\"");
            return RecipientOutcome.Deferred("4.3.5", "mail system configuration error");
        }
        var path = _settings.MailboxBase.TrimEnd('/') + "/" + mailbox.TrimStart('/');
        var envelope = new MailCopyEnvelope(request.Sender, recipient.Envelope.OriginalAddress ?? recipient.Envelope.Address,
            address, DateTimeOffset.Now);
        if (path.EndsWith('/'))
        {
            var result = await MaildirFile.DeliverAsync(path, _settings.MailboxLimit, Copier(request, MailCopyOptions.Maildir, envelope), cancellationToken);
            return result.Succeeded
                ? RecipientOutcome.Delivered("2.0.0", "delivered to maildir")
                : Failure(result, $"maildir delivery failed: {result.Why}");
        }
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Deferred rather than bounced: a spool permission problem is the operator's to fix, not the sender's.
            return RecipientOutcome.Deferred("4.2.0", $"cannot update mailbox {path} for user {user}. cannot create directory: {e.Message}");
        }
        var written = await MboxFile.AppendAsync(path, _settings.Locking, _settings.MailboxLimit, dotLockMayFail: false,
            Copier(request, MailCopyOptions.Mbox, envelope), cancellationToken);
        return written.Succeeded
            ? RecipientOutcome.Delivered("2.0.0", "delivered to mailbox")
            : Failure(written, $"cannot update mailbox {path} for user {user}. {written.Why}");
    }

    // mail_addr_find(): the whole address, then without its extension, then "@domain".
    private async ValueTask<string?> FindMailboxAsync(string address, CancellationToken cancellationToken)
    {
        var at = address.LastIndexOf('@');
        var keys = new List<string> { address };
        if (at > 0 && _settings.RecipientDelimiter.Length > 0)
        {
            var split = address.IndexOfAny(_settings.RecipientDelimiter.ToCharArray(), 0, at);
            if (split > 0)
                keys.Add(address[..split] + address[at..]);
        }
        if (at >= 0)
            keys.Add(address[at..]);
        foreach (var table in _maps)
        {
            var candidates = table.IsFixed ? keys : [address];
            foreach (var key in candidates)
            {
                if (await table.LookupAsync(key, cancellationToken) is { } value)
                    return value.Trim();
            }
        }
        return null;
    }

    private static Func<Stream, CancellationToken, ValueTask> Copier(DeliveryRequest request, MailCopyOptions options, MailCopyEnvelope envelope) =>
        async (destination, ct) =>
        {
            await using var body = await request.OpenBody(ct);
            await MailCopier.CopyAsync(body, destination, options, envelope, ct);
        };

    private static RecipientOutcome Failure(MailboxWriteResult result, string reason) =>
        result.IsTemporary ? RecipientOutcome.Deferred(result.Dsn, reason) : RecipientOutcome.Bounced(result.Dsn, reason);
}

using Mta.Config.Tables;
using Mta.Delivery.Agents;
using Mta.Queue;

namespace Mta.Delivery.Local;

/// <summary>
/// local(8): delivers to recipients in mydestination through aliases (alias_maps), .forward files, mailboxes
/// (mbox under mail_spool_directory or home_mailbox, Maildir when the name ends in "/"), /file/name and |command
/// destinations, and forwards remote members as new mail through the queue ("forwarded as NEWID").
/// Each request recipient gets one result per final destination (relay=local). Runs as whatever user this process
/// is: it never changes user or chowns a mailbox, so mailboxes are owned by the process's user.
/// </summary>
public sealed class LocalDeliveryAgent : IDeliveryAgent
{
    private readonly AgentContext _context;
    private readonly LocalSettings _settings;
    private readonly LocalRecipientExpander _expander;
    private readonly MessageForwarder _forwarder;

    /// <param name="context">The service, its parameters, log and queue.</param>
    /// <param name="passwdFile">Where getpwnam() reads (tests); default unix:passwd.byname, i.e. /etc/passwd.</param>
    public LocalDeliveryAgent(AgentContext context, string? passwdFile = null)
    {
        _context = context;
        _settings = LocalSettings.Bind(context.Parameters);
        var tables = LookupTableFactory.Shared;
        var aliasOptions = TableOpenOptions.Default with { AliasSyntax = true };
        var aliasMaps = _settings.AliasMaps.Select(r => tables.Open(r, aliasOptions)).ToList();
        ILookupTable Open(string reference) => _settings.AliasMaps.Contains(reference, StringComparer.Ordinal)
            ? tables.Open(reference, aliasOptions)
            : tables.Open(reference);
        var passwd = passwdFile is null ? tables.Open("unix:passwd.byname") : new UnixTable("passwd.byname", passwdFile);
        var users = new LocalUserDirectory(passwd,
            LocalUserDirectory.OpenRecipientMaps(_settings.LocalRecipientMaps, Open), _settings.MailSpoolDirectory);
        _expander = new LocalRecipientExpander(_settings, aliasMaps, users,
            new LocalDomainMatcher(_settings.MyDestination, Open), new LocalDestinations(_settings), Warn);
        _forwarder = new MessageForwarder(context.Queue, (_settings.PrependDeliveredHeader & DeliveredHeaderMask.Forward) != 0);
    }

    public async ValueTask<IReadOnlyList<RecipientResult>> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        var (loop, unreadable) = await DeliveredToHeaders.ReadForAsync(request, "local", cancellationToken);
        if (loop is null)
            return unreadable;

        var results = new List<RecipientResult>();
        var forwards = new List<PendingForward>();
        foreach (var recipient in request.Recipients)
        {
            var job = new RecipientJob(request, recipient, loop);
            var original = recipient.Envelope.OriginalAddress ?? recipient.Envelope.Address;
            var state = new ExpansionState
            {
                Address = recipient.Address,
                Sender = request.Sender,
                OriginalRecipient = original,
            };
            try
            {
                await _expander.DeliverRecipientAsync(job, state, cancellationToken);
            }
            catch (Exception e) when (e is TableLookupException or IOException or UnauthorizedAccessException)
            {
                // A table or file failed mid-expansion: try the whole recipient again later, as Postfix defers it.
                Warn(e.Message);
                results.Add(new RecipientResult(recipient.Index, RecipientOutcome.Deferred("4.3.0", "mail system configuration error"), "local"));
                continue;
            }
            results.AddRange(job.Results);
            forwards.AddRange(job.Forwards);
            if (job.Results.Count == 0 && job.Forwards.Count == 0)
            {
                // An expansion whose destinations were all duplicates (an :include: of itself): nothing left to do.
                results.Add(new RecipientResult(recipient.Index, RecipientOutcome.Delivered("2.0.0", "alias expanded"), "local"));
            }
        }
        if (forwards.Count > 0)
            results.AddRange(await _forwarder.ForwardAsync(request, forwards, cancellationToken));
        return results;
    }

    private void Warn(string text) => _context.Log.Write(_context.ProgramName, "warning: " + text);
}

using Mta.Queue;
using Mta.Smtp;

namespace Mta.Delivery.Notices;

/// <summary>
/// Postfix's bounce(8) in-process: decides who hears about an outcome (DSN NOTIFY, the null sender,
/// notify_classes), writes the notice (<see cref="NoticeComposer"/>) and queues it like any other mail,
/// logging "QUEUEID: sender non-delivery notification: NEWID" and its siblings.
/// </summary>
/// <remarks>
/// The loop guard is Postfix's: notices to a sender go out from the null sender; a notice about mail from the
/// null sender goes to the postmaster from double_bounce_sender (only when notify_classes asks for it); and a
/// notice about mail from double_bounce_sender is never written.
/// </remarks>
public sealed class BounceNotifier : INotifier
{
    private readonly IMailQueue _queue;
    private readonly NoticeSettings _settings;
    private readonly IMailLog _log;
    private readonly TimeProvider _time;
    private readonly NoticeComposer _composer;

    public BounceNotifier(IMailQueue queue, NoticeSettings settings, IMailLog log, TimeProvider? time = null)
    {
        _queue = queue;
        _settings = settings;
        _log = log;
        _time = time ?? TimeProvider.System;
        _composer = new NoticeComposer(settings, _time.LocalTimeZone);
        foreach (var warning in settings.TemplateWarnings)
            _log.Write(settings.ProgramName, $"warning: {warning}");
    }

    public async ValueTask<QueueId?> BounceAsync(QueuedMessage message, IReadOnlyList<NoticeRecipient> failed, CancellationToken cancellationToken)
    {
        if (failed.Count == 0) return null;
        var sender = message.Envelope.Sender;
        if (IsDoubleBounceSender(sender))
        {
            _log.Write(_settings.ProgramName, $"warning: {message.Id}: undeliverable postmaster notification discarded");
            return null;
        }
        if (sender.Length == 0)
        {
            // A bounce bounced: the postmaster's last chance to see it (whole message), if notify_classes asks.
            if ((_settings.NotifyClasses & (NotifyClasses.Bounce | NotifyClasses.DoubleBounce)) == 0) return null;
            return await SendAsync(new Notice(_settings.Templates.Failure, message, failed, _settings.DoubleBounceNoticeRecipient,
                PostmasterCopy: true, DsnRet.Full, "postmaster non-delivery notification"), cancellationToken).ConfigureAwait(false);
        }

        var wanted = Filter(message, failed, DsnNotify.Failure);
        QueueId? notice = wanted.Count == 0 ? null
            : await SendAsync(new Notice(_settings.Templates.Failure, message, wanted, sender, PostmasterCopy: false,
                message.Envelope.Ret ?? DsnRet.Full, "sender non-delivery notification"), cancellationToken).ConfigureAwait(false);
        // The postmaster copy reports every recipient (NOTIFY does not apply to it) with the original's headers only.
        QueueId? copy = (_settings.NotifyClasses & NotifyClasses.Bounce) == 0 ? null
            : await SendCopyAsync(new Notice(_settings.Templates.Failure, message, failed, _settings.BounceNoticeRecipient, PostmasterCopy: true,
                DsnRet.Hdrs, "postmaster non-delivery notification"), $"postmaster notice failed while bouncing to {sender}", cancellationToken).ConfigureAwait(false);
        return notice ?? copy;
    }

    public async ValueTask<QueueId?> DelayWarningAsync(QueuedMessage message, IReadOnlyList<NoticeRecipient> delayed, CancellationToken cancellationToken)
    {
        if (delayed.Count == 0) return null;
        var sender = message.Envelope.Sender;
        if (IsDoubleBounceSender(sender))
        {
            _log.Write(_settings.ProgramName, $"warning: {message.Id}: undeliverable postmaster notification discarded");
            return null;
        }
        bool postmasterWantsDelays = (_settings.NotifyClasses & NotifyClasses.Delay) != 0;
        if (sender.Length == 0)
        {
            if (!postmasterWantsDelays) return null;
            return await SendAsync(new Notice(_settings.Templates.Delay, message, delayed, _settings.DelayNoticeRecipient,
                PostmasterCopy: true, DsnRet.Full, "postmaster delay notification"), cancellationToken).ConfigureAwait(false);
        }

        // A warning never returns the whole message: the sender still has it queued here.
        var wanted = Filter(message, delayed, DsnNotify.Delay);
        QueueId? notice = wanted.Count == 0 ? null
            : await SendAsync(new Notice(_settings.Templates.Delay, message, wanted, sender, PostmasterCopy: false,
                DsnRet.Hdrs, "sender delay notification"), cancellationToken).ConfigureAwait(false);
        QueueId? copy = !postmasterWantsDelays ? null
            : await SendCopyAsync(new Notice(_settings.Templates.Delay, message, delayed, _settings.DelayNoticeRecipient, PostmasterCopy: true,
                DsnRet.Hdrs, "postmaster delay notification"), $"postmaster notice failed while warning {sender}", cancellationToken).ConfigureAwait(false);
        return notice ?? copy;
    }

    public async ValueTask<QueueId?> SuccessAsync(QueuedMessage message, IReadOnlyList<NoticeRecipient> delivered, CancellationToken cancellationToken)
    {
        // Only recipients that asked (NOTIFY=SUCCESS) are reported; there is no default success notice.
        var wanted = Filter(message, delivered, DsnNotify.Success);
        if (wanted.Count == 0) return null;
        var sender = message.Envelope.Sender;
        if (IsDoubleBounceSender(sender))
        {
            _log.Write(_settings.ProgramName, $"{message.Id}: not sending trace/success notification for double-bounce message");
            return null;
        }
        var to = sender;
        if (sender.Length == 0)
        {
            if ((_settings.NotifyClasses & NotifyClasses.DoubleBounce) == 0)
            {
                _log.Write(_settings.ProgramName, $"{message.Id}: not sending trace/success notification for single-bounce message");
                return null;
            }
            to = _settings.DoubleBounceNoticeRecipient;
        }
        return await SendAsync(new Notice(_settings.Templates.Success, message, wanted, to, PostmasterCopy: false,
            DsnRet.Hdrs, "sender delivery status notification"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One notice to queue: what to write, to whom, and the words of its log line.</summary>
    private sealed record Notice(NoticeTemplate Template, QueuedMessage Original, IReadOnlyList<NoticeRecipient> Recipients,
        string To, bool PostmasterCopy, DsnRet Return, string LogLabel);

    /// <summary>
    /// Queues a notice that matters (to the sender, or a double bounce): a failure is logged and thrown, so the
    /// queue manager keeps the recipient and tries again, as Postfix's qmgr defers when bounce(8) fails.
    /// </summary>
    private async ValueTask<QueueId> SendAsync(Notice notice, CancellationToken cancellationToken)
    {
        try
        {
            return await QueueAsync(notice, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.Write(_settings.ProgramName, notice.PostmasterCopy
                ? $"warning: {notice.Original.Id}: postmaster notification failed: {e.Message}"
                : $"warning: {notice.Original.Id}: sender notification failed to {notice.To}: {e.Message}");
            throw;
        }
    }

    /// <summary>A postmaster copy is not critical: a failure is logged, never retried.</summary>
    private async ValueTask<QueueId?> SendCopyAsync(Notice notice, string failureText, CancellationToken cancellationToken)
    {
        try
        {
            return await QueueAsync(notice, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.Write(_settings.ProgramName, $"warning: {notice.Original.Id}: {failureText}");
            return null;
        }
    }

    private async ValueTask<QueueId> QueueAsync(Notice notice, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var id = _queue.NewQueueId();
        var to = Qualify(notice.To);
        var request = new NoticeRequest(notice.Template, notice.Original, notice.Recipients, to, notice.PostmasterCopy, notice.Return, id, now);
        var original = notice.Original.Id;
        await using (var writer = await _queue.BeginMessageAsync(id, cancellationToken).ConfigureAwait(false))
        {
            await _composer.WriteAsync(request, ct => _queue.OpenBodyAsync(original, ct), writer.WriteAsync, cancellationToken).ConfigureAwait(false);
            // Postmaster copies come from double_bounce_sender, so that their own failure ends here.
            var sender = notice.PostmasterCopy || notice.Original.Envelope.Sender.Length == 0 ? _settings.DoubleBounceAddress : "";
            var envelope = new Envelope(sender, [new Recipient(to)], now,
                Smtputf8: notice.Original.Envelope.Smtputf8,
                Body8Bit: _composer.DeclaresEightBit(request));
            await writer.CommitAsync(envelope, cancellationToken).ConfigureAwait(false);
        }
        _log.Write(_settings.ProgramName, $"{original}: {notice.LogLabel}: {id}");
        _log.Write($"{_settings.SyslogName}/cleanup", $"{id}: message-id={_composer.MessageId(request)}");
        return id;
    }

    /// <summary>Recipients whose NOTIFY asks for this kind of notice; no NOTIFY means FAILURE,DELAY.</summary>
    private static List<NoticeRecipient> Filter(QueuedMessage message, IReadOnlyList<NoticeRecipient> recipients, DsnNotify kind)
    {
        var wanted = new List<NoticeRecipient>(recipients.Count);
        foreach (var recipient in recipients)
        {
            var notify = recipient.Index >= 0 && recipient.Index < message.Envelope.Recipients.Count
                ? message.Envelope.Recipients[recipient.Index].Notify
                : DsnNotify.Default;
            bool asked = notify == DsnNotify.Default ? kind != DsnNotify.Success : (notify & kind) != 0;
            if (asked) wanted.Add(recipient);
        }
        return wanted;
    }

    /// <summary>Mail from double_bounce_sender is a postmaster notice: its failure must not produce another.</summary>
    private bool IsDoubleBounceSender(string sender) =>
        sender.Length > 0 && (string.Equals(sender, _settings.DoubleBounceAddress, StringComparison.OrdinalIgnoreCase)
            || string.Equals(sender, $"{_settings.DoubleBounceSender}@{_settings.MyOrigin}", StringComparison.OrdinalIgnoreCase)
            || string.Equals(sender, _settings.DoubleBounceSender, StringComparison.OrdinalIgnoreCase));

    /// <summary>"postmaster" becomes "postmaster@$myorigin", as cleanup(8) would rewrite it.</summary>
    private string Qualify(string address) => address.Contains('@') ? address : $"{address}@{_settings.MyOrigin}";
}

using Mta.Queue;

namespace Mta.Delivery.Notices;

/// <summary>
/// bounce(8): turns recipient outcomes into RFC 3464 notices and queues them. Honours DSN NOTIFY/RET/ENVID/ORCPT,
/// never notifies the null sender (a failed bounce goes to 2bounce_notice_recipient, once), and sends
/// notify_classes copies to the postmaster. Each method returns the queue ID of the notice it queued, or null
/// when none was due.
/// </summary>
public interface INotifier
{
    /// <summary>Non-delivery notification for recipients that failed permanently or expired in this attempt.</summary>
    ValueTask<QueueId?> BounceAsync(QueuedMessage message, IReadOnlyList<NoticeRecipient> failed, CancellationToken cancellationToken);

    /// <summary>Delay warning (delay_warning_time) for recipients still deferred.</summary>
    ValueTask<QueueId?> DelayWarningAsync(QueuedMessage message, IReadOnlyList<NoticeRecipient> delayed, CancellationToken cancellationToken);

    /// <summary>Delivery status notification for recipients delivered with NOTIFY=SUCCESS.</summary>
    ValueTask<QueueId?> SuccessAsync(QueuedMessage message, IReadOnlyList<NoticeRecipient> delivered, CancellationToken cancellationToken);
}

/// <summary>One recipient as a notice reports it.</summary>
/// <param name="Index">Envelope recipient index (ORCPT and NOTIFY come from the envelope recipient).</param>
/// <param name="Address">The final address the outcome is about (an alias member, or the envelope recipient).</param>
/// <param name="Outcome">The outcome: status, enhanced code, reason text.</param>
/// <param name="RemoteMta">DSN Remote-MTA host when a remote server answered.</param>
/// <param name="DiagnosticCode">DSN Diagnostic-Code, e.g. "smtp; 550 5.1.1 &lt;x@y&gt;: User unknown".</param>
/// <param name="At">When the outcome happened (Last-Attempt-Date).</param>
public sealed record NoticeRecipient(int Index, string Address, RecipientOutcome Outcome, string? RemoteMta, string? DiagnosticCode, DateTimeOffset At);

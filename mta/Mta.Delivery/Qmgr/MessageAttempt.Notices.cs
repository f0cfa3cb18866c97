using Mta.Delivery.Notices;
using Mta.Queue;

namespace Mta.Delivery.Qmgr;

internal sealed partial class MessageAttempt
{
    /// <summary>
    /// After every job: expiry, the non-delivery notice (then the bounced recipients are recorded), the delay
    /// warning and the success notice, as Postfix's qmgr_active_done does once all recipients were tried.
    /// </summary>
    private async Task SettleAsync(List<int> open, CancellationToken cancellationToken)
    {
        var now = services.Now;
        var bounced = new Dictionary<int, RecipientOutcome>();
        var failed = new List<NoticeRecipient>();
        var delivered = new List<NoticeRecipient>();
        var stillDeferred = new List<Reported>();
        foreach (int index in open)
        {
            if (!_reported.TryGetValue(index, out var reports)) continue;
            var overall = Aggregate(reports.Select(r => r.Outcome).ToList());
            switch (overall.Status)
            {
                case RecipientStatus.Bounced:
                    bounced[index] = overall;
                    failed.AddRange(reports.Where(r => r.Outcome.Status == RecipientStatus.Bounced).Select(r => r.ToNotice(r.Outcome)));
                    break;
                case RecipientStatus.Delivered when (Envelope.Recipients[index].Notify & DsnNotify.Success) != 0:
                    delivered.AddRange(reports.Select(r => r.ToNotice(r.Outcome)));
                    break;
                case RecipientStatus.Deferred:
                    stillDeferred.AddRange(reports.Where(r => r.Outcome.Status == RecipientStatus.Deferred));
                    break;
            }
        }

        // Expiry (qmgr_active.c): once every recipient was tried, a message at least maximal_queue_lifetime old
        // (bounce_queue_lifetime for the null sender) returns its deferred recipients with their last reason.
        bool expired = stillDeferred.Count > 0 && now >= Envelope.ArrivalTime + services.LifetimeOf(Envelope);
        if (expired)
        {
            services.Log.Write(services.Settings.ProgramName, QmgrLogText.Expired(Id, Envelope.Sender));
            foreach (var report in stillDeferred)
            {
                var outcome = RecipientOutcome.Bounced(report.Outcome.Dsn, report.Outcome.Reason);
                bounced.TryAdd(report.Index, outcome);
                failed.Add(report.ToNotice(outcome));
            }
        }

        if (failed.Count > 0 && !await NotifyAsync(expired ? "expired" : "bounce",
                ct => services.Notifier.BounceAsync(_message, failed, ct), cancellationToken).ConfigureAwait(false))
        {
            // No notice, no bounce: they stay deferred (4.x.y) and are tried again, as when Postfix's bounce daemon fails.
            foreach (var (index, outcome) in bounced)
                await services.Queue.RecordOutcomeAsync(heartbeat.Lease, index,
                    RecipientOutcome.Deferred(outcome.Dsn.Length > 0 ? "4" + outcome.Dsn[1..] : "4.0.0", outcome.Reason), cancellationToken).ConfigureAwait(false);
            bounced.Clear();
        }
        foreach (var (index, outcome) in bounced)
            await services.Queue.RecordOutcomeAsync(heartbeat.Lease, index, outcome, cancellationToken).ConfigureAwait(false);

        if (!expired && stillDeferred.Count > 0 && DelayWarningDue(now))
            await NotifyAsync("delay", ct => services.Notifier.DelayWarningAsync(_message,
                stillDeferred.Select(r => r.ToNotice(r.Outcome)).ToList(), ct), cancellationToken).ConfigureAwait(false);

        if (delivered.Count > 0)
            await NotifyAsync("success", ct => services.Notifier.SuccessAsync(_message, delivered, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The delay warning without state in the queue: it is due in the one attempt during which the message
    /// turned delay_warning_time old, i.e. when arrival + delay_warning_time lies after the previous attempt
    /// (the latest outcome recorded before this claim; none on a first attempt) and no later than now.
    /// Attempts do not overlap, so at most one attempt sends it (Postfix keeps a flag in the queue file instead).
    /// </summary>
    private bool DelayWarningDue(DateTimeOffset now)
    {
        var warnAt = Envelope.ArrivalTime + services.Settings.DelayWarningTime;
        if (services.Settings.DelayWarningTime <= TimeSpan.Zero || warnAt > now) return false;
        var previous = _message.Recipients.Max(r => r.At);
        return previous is null || previous < warnAt;
    }

    /// <summary>Queues one notice; false when the notifier failed (logged). Counts queued notices by kind.</summary>
    private async Task<bool> NotifyAsync(string kind, Func<CancellationToken, ValueTask<QueueId?>> send, CancellationToken cancellationToken)
    {
        try
        {
            if (await send(cancellationToken).ConfigureAwait(false) is not null) QmgrMetrics.Notices.WithLabels(kind).Inc();
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException and not LeaseLostException)
        {
            services.Log.Write(services.Settings.ProgramName, $"warning: {Id}: {kind} notification failed: {e.Message}");
            return false;
        }
    }
}

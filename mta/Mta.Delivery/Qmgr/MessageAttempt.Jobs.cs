using Mta.Delivery.Agents;
using Mta.Queue;

namespace Mta.Delivery.Qmgr;

internal sealed partial class MessageAttempt
{
    private const string SuspendedPrefix = "delivery temporarily suspended: ";

    /// <summary>Waits for the destination, hands the job to the agent, then records and logs what it says.</summary>
    private async Task RunJobAsync(Job job, CancellationToken cancellationToken)
    {
        var scheduler = services.Scheduler;
        var state = scheduler.Attach(job.Destination, job.Transport.Settings);
        try
        {
            if (await DeferIfSuspendedAsync(job, state, cancellationToken).ConfigureAwait(false)) return;
            var slot = await scheduler.AcquireAsync(state, job.Transport, cancellationToken).ConfigureAwait(false);
            var feedback = DeliveryFeedback.None;
            RecipientOutcome? failure = null;
            try
            {
                // The destination may have died while this job waited for its turn.
                if (await DeferIfSuspendedAsync(job, state, cancellationToken).ConfigureAwait(false)) return;
                var handoff = services.Now;
                var results = await CallAgentAsync(job, cancellationToken).ConfigureAwait(false);
                var done = services.Now;
                (feedback, failure) = results is null ? (DeliveryFeedback.None, null) : Judge(results);
                results ??= job.Recipients.Select(r => new RecipientResult(r.Index,
                    RecipientOutcome.Deferred("4.3.0", "unknown mail transport error"), "none")).ToList();
                await RecordAgentResultsAsync(job, results, handoff, done, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await slot.ReleaseAsync(feedback, failure).ConfigureAwait(false);
            }
        }
        finally
        {
            scheduler.Detach(state);
        }
    }

    /// <summary>The agent's results, or null when it failed in a way it should not (it must only throw on cancellation).</summary>
    private async Task<IReadOnlyList<RecipientResult>?> CallAgentAsync(Job job, CancellationToken cancellationToken)
    {
        var request = new DeliveryRequest(_message, job.Transport.Name, job.Nexthop, job.Recipients,
            ct => services.Queue.OpenBodyAsync(Id, ct));
        try
        {
            return await job.Transport.Agent.DeliverAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Log.Write(job.Transport.Settings.ProgramName, $"warning: {Id}: transport {job.Transport.Name} failed: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Concurrency feedback: nothing answered when every recipient was deferred with relay=none (connection or
    /// handshake failure, as Postfix's agents report a dead site); anything else reached the destination.
    /// </summary>
    private static (DeliveryFeedback, RecipientOutcome?) Judge(IReadOnlyList<RecipientResult> results) =>
        results.Count > 0 && results.All(r => r.Outcome.Status == RecipientStatus.Deferred && r.Relay == "none")
            ? (DeliveryFeedback.Unreachable, results[0].Outcome)
            : (DeliveryFeedback.Reached, null);

    private async Task<bool> DeferIfSuspendedAsync(Job job, DestinationState state, CancellationToken cancellationToken)
    {
        if (!state.IsSuspended(services.Now, out var reason)) return false;
        var outcome = RecipientOutcome.Deferred(reason.Dsn, SuspendedPrefix + StripSuspended(reason.Reason));
        foreach (var recipient in job.Recipients)
            await DeferHereAsync(job.Transport.Name, recipient, outcome, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static string StripSuspended(string reason) =>
        reason.StartsWith(SuspendedPrefix, StringComparison.Ordinal) ? reason[SuspendedPrefix.Length..] : reason;

    /// <summary>An outcome the queue manager decides without an agent: logged by qmgr with relay=none, recorded at once.</summary>
    private async Task DeferHereAsync(string transport, DeliveryRecipient recipient, RecipientOutcome outcome, CancellationToken cancellationToken)
    {
        var now = services.Now;
        Log(services.Settings.ProgramName, transport, recipient.Address, recipient.Envelope, "none",
            Delays.WithoutAgent(Envelope.ArrivalTime, claimed, now), outcome, "deferred");
        Remember(new Reported(recipient.Index, recipient.Address, outcome, null, null, now));
        await services.Queue.RecordOutcomeAsync(heartbeat.Lease, recipient.Index, outcome, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Logs every result with the agent's program name and records one outcome per recipient: several results for
    /// one recipient (an alias) count as deferred if any was, else bounced if any was, else delivered. Delivered and
    /// deferred are recorded now; bounced only once the non-delivery notice is queued (<see cref="SettleAsync"/>).
    /// </summary>
    private async Task RecordAgentResultsAsync(Job job, IReadOnlyList<RecipientResult> results, DateTimeOffset handoff,
        DateTimeOffset done, CancellationToken cancellationToken)
    {
        var program = job.Transport.Settings.ProgramName;
        foreach (var recipient in job.Recipients)
        {
            var mine = results.Where(r => r.Index == recipient.Index).ToList();
            if (mine.Count == 0)
                mine.Add(new RecipientResult(recipient.Index, RecipientOutcome.Deferred("4.3.0", "unknown mail transport error"), "none"));
            var outcomes = new List<RecipientOutcome>(mine.Count);
            foreach (var result in mine)
            {
                var (outcome, status) = Soften(result.Outcome);
                string address = result.FinalAddress ?? recipient.Address;
                Log(program, job.Transport.Name, address, recipient.Envelope, result.Relay,
                    Delays.FromAgent(Envelope.ArrivalTime, claimed, handoff, done, result.ConnectSetup, result.Transmission), outcome, status);
                Remember(new Reported(recipient.Index, address, outcome, result.RemoteMta, result.DiagnosticCode, done));
                outcomes.Add(outcome);
            }
            var overall = Aggregate(outcomes);
            if (overall.Status != RecipientStatus.Bounced)
                await services.Queue.RecordOutcomeAsync(heartbeat.Lease, recipient.Index, overall, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>soft_bounce = yes keeps a permanent failure as a temporary one (5.x.y becomes 4.x.y), logged as SOFTBOUNCE.</summary>
    private (RecipientOutcome Outcome, string Status) Soften(RecipientOutcome outcome) => outcome.Status switch
    {
        RecipientStatus.Bounced when services.Settings.SoftBounce =>
            (RecipientOutcome.Deferred(outcome.Dsn.Length > 0 ? "4" + outcome.Dsn[1..] : "4.0.0", outcome.Reason), "SOFTBOUNCE"),
        RecipientStatus.Bounced => (outcome, "bounced"),
        RecipientStatus.Delivered => (outcome, "sent"),
        _ => (outcome, "deferred"),
    };

    private static RecipientOutcome Aggregate(List<RecipientOutcome> outcomes) =>
        outcomes.FirstOrDefault(o => o.Status == RecipientStatus.Deferred)
        ?? outcomes.FirstOrDefault(o => o.Status == RecipientStatus.Bounced)
        ?? outcomes[0];

    private void Log(string program, string transport, string to, Recipient envelope, string relay, Delays delays,
        RecipientOutcome outcome, string status)
    {
        services.Log.Write(program, QmgrLogText.Delivery(Id, to, envelope.OriginalAddress ?? envelope.Address, relay, delays,
            services.Settings.DelayLoggingResolution, outcome.Dsn, status, outcome.Reason));
        QmgrMetrics.Deliveries.WithLabels(transport, status).Inc();
        QmgrMetrics.DeliveryLatency.WithLabels(transport).Observe(Math.Max(0, delays.Total.TotalSeconds));
    }

    private void Remember(Reported reported)
    {
        lock (_gate)
        {
            if (!_reported.TryGetValue(reported.Index, out var list)) _reported[reported.Index] = list = [];
            list.Add(reported);
        }
    }
}

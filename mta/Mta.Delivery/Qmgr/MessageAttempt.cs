using System.Runtime.ExceptionServices;
using Mta.Delivery.Agents;
using Mta.Queue;

namespace Mta.Delivery.Qmgr;

/// <summary>
/// One claim of one message, start to finish: log it active, route its open recipients, run one delivery job per
/// transport, next hop and recipient-limit chunk, record and log every outcome, send the notices that are due,
/// expire it when it is too old, and hand it back to the queue (removed, or deferred until its retry time).
/// </summary>
internal sealed partial class MessageAttempt(QmgrServices services, LeaseHeartbeat heartbeat, DateTimeOffset claimed)
{
    private readonly QueuedMessage _message = heartbeat.Lease.Message;
    private readonly Lock _gate = new();

    // What this attempt learnt, per envelope recipient index (several entries when an alias expanded).
    private readonly Dictionary<int, List<Reported>> _reported = [];

    private QueueId Id => _message.Id;

    private Envelope Envelope => _message.Envelope;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var open = Enumerable.Range(0, _message.Recipients.Count).Where(i => !_message.Recipients[i].IsFinal).ToList();
        services.Log.Write(services.Settings.ProgramName, QmgrLogText.Active(Id, Envelope.Sender, _message.Size, open.Count));

        var jobs = await PlanAsync(open, cancellationToken).ConfigureAwait(false);
        await RunJobsAsync(jobs, cancellationToken).ConfigureAwait(false);
        await SettleAsync(open, cancellationToken).ConfigureAwait(false);

        var now = services.Now;
        var left = await services.Queue.FinishAsync(heartbeat.Lease, services.RetryAt(Envelope.ArrivalTime, now), cancellationToken).ConfigureAwait(false);
        if (left is null) services.Log.Write(services.Settings.ProgramName, QmgrLogText.Removed(Id));
    }

    /// <summary>
    /// Runs the jobs side by side. The first one to fail (lease lost, store gone) stops the others, so no more
    /// mail goes out for a message whose outcomes can no longer be recorded; that failure is what is thrown.
    /// </summary>
    private async Task RunJobsAsync(List<Job> jobs, CancellationToken cancellationToken)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = jobs.Select(async job =>
        {
            try
            {
                await RunJobAsync(job, abort.Token).ConfigureAwait(false);
            }
            catch
            {
                await abort.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }).ToArray();
        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch
        {
            var first = running.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions)
                .FirstOrDefault(e => e is not OperationCanceledException);
            if (first is not null) ExceptionDispatchInfo.Throw(first);
            throw;
        }
    }

    /// <summary>
    /// Resolves each open recipient and groups them into jobs: one per transport and next hop, split at the
    /// transport's recipient limit. Recipients that cannot be routed are deferred here by the queue manager.
    /// </summary>
    private async Task<List<Job>> PlanAsync(List<int> open, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<(string Transport, string Nexthop), List<DeliveryRecipient>>();
        foreach (int index in open)
        {
            var recipient = Envelope.Recipients[index];
            Routing.Route route;
            try
            {
                route = await services.Router.RouteAsync(recipient.Address, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                services.Log.Write(services.Settings.ProgramName, $"warning: {Id}: address resolver failure for {recipient.Address}: {e.Message}");
                await DeferHereAsync("none", new DeliveryRecipient(index, recipient.Address, recipient),
                    RecipientOutcome.Deferred("4.3.0", "address resolver failure"), cancellationToken).ConfigureAwait(false);
                continue;
            }
            var delivery = new DeliveryRecipient(index, route.Recipient, recipient);
            if (!services.Transports.ContainsKey(route.Transport))
            {
                await DeferHereAsync(route.Transport, delivery, RecipientOutcome.Deferred("4.3.0", "mail transport unavailable"), cancellationToken)
                    .ConfigureAwait(false);
                continue;
            }
            var key = (route.Transport, route.Nexthop);
            if (!groups.TryGetValue(key, out var members)) groups[key] = members = [];
            members.Add(delivery);
        }

        var jobs = new List<Job>();
        foreach (var ((transportName, nexthop), members) in groups)
        {
            var transport = services.Transports[transportName];
            foreach (var chunk in members.Chunk(transport.Settings.RecipientLimit))
                jobs.Add(new Job(transport, nexthop,
                    DestinationScheduler.DestinationKey(transportName, nexthop, chunk[0].Address, transport.Settings), chunk));
        }
        return jobs;
    }

    /// <summary>One delivery request: its transport, next hop, destination (concurrency key) and recipients.</summary>
    private sealed record Job(Transport Transport, string Nexthop, string Destination, IReadOnlyList<DeliveryRecipient> Recipients);

    /// <summary>One logged result, kept for the notices.</summary>
    private sealed record Reported(int Index, string Address, RecipientOutcome Outcome, string? RemoteMta, string? DiagnosticCode, DateTimeOffset At)
    {
        public Notices.NoticeRecipient ToNotice(RecipientOutcome outcome) => new(Index, Address, outcome, RemoteMta, DiagnosticCode, At);
    }
}

using System.Collections.Concurrent;
using Mta.Delivery.Agents;
using Mta.Queue;

namespace Mta.Delivery.Tests.Qmgr;

/// <summary>
/// A stand-in delivery agent: records each request, counts parallel calls per next hop, optionally waits in
/// <see cref="During"/>, and answers with <see cref="Script"/> (default: every recipient sent).
/// </summary>
public sealed class ScriptedAgent : IDeliveryAgent
{
    private readonly ConcurrentQueue<DeliveryRequest> _calls = new();
    private readonly ConcurrentDictionary<string, int> _running = new();
    private readonly ConcurrentDictionary<string, int> _mostRunning = new();

    public Func<DeliveryRequest, IReadOnlyList<RecipientResult>> Script { get; set; } = request =>
        request.Recipients.Select(r => new RecipientResult(r.Index, RecipientOutcome.Delivered("2.0.0", "250 2.0.0 Ok"), "mx.test[127.0.0.1]:25")).ToList();

    public Func<DeliveryRequest, CancellationToken, Task>? During { get; set; }

    public IReadOnlyList<DeliveryRequest> Calls => _calls.ToArray();

    public int MostParallel(string nexthop) => _mostRunning.GetValueOrDefault(nexthop);

    public async ValueTask<IReadOnlyList<RecipientResult>> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        _calls.Enqueue(request);
        int now = _running.AddOrUpdate(request.Nexthop, 1, (_, n) => n + 1);
        _mostRunning.AddOrUpdate(request.Nexthop, now, (_, most) => Math.Max(most, now));
        try
        {
            if (During is not null) await During(request, cancellationToken);
            return Script(request);
        }
        finally
        {
            _running.AddOrUpdate(request.Nexthop, 0, (_, n) => n - 1);
        }
    }

    /// <summary>Every recipient of the request gets the same outcome.</summary>
    public static Func<DeliveryRequest, IReadOnlyList<RecipientResult>> All(RecipientOutcome outcome, string relay) =>
        request => request.Recipients.Select(r => new RecipientResult(r.Index, outcome, relay)).ToList();
}

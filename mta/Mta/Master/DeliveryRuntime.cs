using Mta.Config;
using Mta.Config.MasterCf;
using Mta.Delivery.Agents;
using Mta.Delivery.Local;
using Mta.Delivery.Notices;
using Mta.Delivery.Qmgr;
using Mta.Delivery.Routing;
using Mta.Delivery.Simple;
using Mta.Delivery.Smtp;
using Mta.Delivery.Virtual;
using Mta.Queue;
using Mta.Queue.Coordination;
using Mta.Smtp;

namespace Mta.Master;

/// <summary>
/// The delivery side of master.cf: when it lists `qmgr`, the queue manager exports the queue gauges, and when it
/// also lists delivery agents (smtp, lmtp, local, virtual, discard, error), the queue manager claims mail from the
/// queue shards this process leases and hands it to those agents. On one host master.cf lists both; on Kubernetes
/// the delivery tier does, and the qmgr tier only exports the fleet's queue gauges.
/// </summary>
internal sealed class DeliveryRuntime : IAsyncDisposable
{
    /// <summary>How often the queue gauges (mta_queue_messages, mta_queue_oldest_age_seconds) are refreshed.</summary>
    private static readonly TimeSpan QueueMetricsInterval = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _stop = new();
    private readonly QueueMetricsExporter _exporter;
    private readonly QueueManager? _manager;
    private readonly Task _run = Task.CompletedTask;

    private DeliveryRuntime(QueueMetricsExporter exporter, QueueManager? manager = null, IMailLog? log = null, string? programName = null)
    {
        _exporter = exporter;
        _manager = manager;
        if (manager is not null)
            _run = RunAsync(manager, log!, programName!);
    }

    /// <summary>The queue manager's loop survives store outages by itself; anything else ending it must be seen in the log.</summary>
    private async Task RunAsync(QueueManager manager, IMailLog log, string programName)
    {
        try
        {
            await Task.Run(() => manager.RunAsync(_stop.Token), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Write(programName, $"fatal: queue manager stopped: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The agent programs Mta runs, by master.cf command name.</summary>
    public static readonly IReadOnlySet<string> AgentPrograms =
        new HashSet<string>(StringComparer.Ordinal) { "smtp", "lmtp", "local", "virtual", "discard", "error" };

    /// <summary>Starts what master.cf asks for; null when it lists no qmgr (an smtpd-only process).</summary>
    public static DeliveryRuntime? Start(InstanceConfig config, IMailQueue store, IMailLog log)
    {
        var qmgr = config.Master.Services.FirstOrDefault(s => s.Type == ServiceType.Unix && s.ProcessName == "qmgr");
        if (qmgr is null)
            return null;
        var parameters = qmgr.Apply(config.Parameters);
        var programName = $"{parameters.Get(ParameterCatalogue.SyslogName)}/qmgr";
        var exporter = new QueueMetricsExporter(store, QueueMetricsInterval, log, programName);
        exporter.Start();

        var transports = new Dictionary<string, Transport>(StringComparer.Ordinal);
        foreach (var service in config.Master.Services)
        {
            if (service.Type != ServiceType.Unix || !AgentPrograms.Contains(service.ProcessName))
                continue;
            var serviceParameters = service.Apply(config.Parameters);
            var context = new AgentContext(service, serviceParameters, log, store);
            try
            {
                // maxproc bounds the transport's parallel deliveries, as it bounds Postfix's agent processes.
                var settings = TransportSettings.From(serviceParameters, service.Name) with { ProcessLimit = service.GetMaxProcesses(config.Parameters) };
                transports[service.Name] = new Transport(service.Name, CreateAgent(context), settings);
            }
            catch (Exception e) when (e is ConfigException or IOException or InvalidDataException or Mta.Config.Tables.TableLookupException or UnauthorizedAccessException)
            {
                // Postfix's agent would die at start with this fatal and master would keep restarting it; meanwhile
                // qmgr defers its mail ("mail transport unavailable"), which is what leaving it out of the map does.
                log.Write(context.ProgramName, $"fatal: {e.Message}");
            }
        }
        if (transports.Count == 0)
            return new DeliveryRuntime(exporter);

        // Unique per run, readable in logs: a restarted pod (same host name, maybe same pid) is a new holder.
        var holder = QueueCoordination.NewHolderName();
        // The queue manager starts and releases the shard leases itself.
        var (shards, slots) = QueueCoordination.For(store, holder);
        var manager = new QueueManager(store, QueueManagerSettings.From(parameters), transports,
            TrivialRewriteRouter.From(parameters), new BounceNotifier(store, NoticeSettings.From(parameters), log), slots, shards, log, holder);
        return new DeliveryRuntime(exporter, manager, log, programName);
    }

    private static IDeliveryAgent CreateAgent(AgentContext context) => context.Service.ProcessName switch
    {
        "smtp" or "lmtp" => new SmtpDeliveryAgent(context),
        "local" => new LocalDeliveryAgent(context),
        "virtual" => new VirtualDeliveryAgent(context),
        "discard" => new DiscardDeliveryAgent(context),
        "error" => new ErrorDeliveryAgent(context),
        _ => throw new ArgumentOutOfRangeException(nameof(context), context.Service.ProcessName, "not a delivery agent"),
    };

    /// <summary>Stops claiming and lets the messages in hand finish (their leases protect anything cut short).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }
        if (_manager is not null)
            await _manager.DisposeAsync();
        await _exporter.DisposeAsync();
        _stop.Dispose();
    }
}

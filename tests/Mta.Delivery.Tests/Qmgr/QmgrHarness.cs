using System.Text;
using Mta.Config;
using Mta.Delivery.Qmgr;
using Mta.Delivery.Routing;
using Mta.Queue;
using Mta.Queue.Coordination;
using Mta.Queue.File;

namespace Mta.Delivery.Tests.Qmgr;

/// <summary>
/// A queue manager over a real FileQueueStore in a temp directory, with scripted smtp and local agents, a router
/// by domain, a recording log and notifier, and a manual clock shared by the store and the queue manager.
/// </summary>
public sealed class QmgrHarness : IAsyncDisposable
{
    public static readonly byte[] Body = Encoding.ASCII.GetBytes("Subject: test\r\n\r\nhello\r\n");

    private readonly string _directory = Directory.CreateTempSubdirectory("mta-qmgr-").FullName;
    private QueueManager? _qmgr;
    private Task? _running;
    private readonly CancellationTokenSource _stop = new();

    public QmgrHarness(params (string Name, string Value)[] parameters)
    {
        Parameters = new ParameterSet(ParameterCatalogue.All)
            .WithOverrides(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
        Store = FileQueueStore.Open(new FileQueueStoreOptions(_directory) { Time = Clock });
        Queue = Store;
    }

    public ManualClock Clock { get; } = new();
    public ParameterSet Parameters { get; }
    public FileQueueStore Store { get; }
    public RecordingLog Log { get; } = new();
    public RecordingNotifier Notifier { get; } = new();
    public ScriptedAgent Smtp { get; } = new();
    public ScriptedAgent Local { get; } = new();

    /// <summary>Domains routed to other transports (a name missing from the transport map tests "unavailable").</summary>
    public Dictionary<string, string> Routes { get; } = [];

    public async Task<QueueId> EnqueueAsync(string sender, params Recipient[] recipients)
    {
        var id = Store.NewQueueId();
        await using var writer = await Store.BeginMessageAsync(id, default);
        await writer.WriteAsync(Body, default);
        await writer.CommitAsync(new Envelope(sender, recipients, Clock.GetUtcNow()), default);
        return id;
    }

    public Task<QueueId> EnqueueAsync(string sender, params string[] recipients) =>
        EnqueueAsync(sender, recipients.Select(r => new Recipient(r)).ToArray());

    /// <summary>The router (by default <see cref="DomainRouter"/> over <see cref="Routes"/>).</summary>
    public IRecipientRouter? Router { get; set; }

    /// <summary>What the queue manager sees of the store (the store itself unless a test wraps it).</summary>
    public IMailQueue Queue { get; set; }

    public void Start()
    {
        var transports = new Dictionary<string, Transport>
        {
            ["smtp"] = new("smtp", Smtp, TransportSettings.From(Parameters, "smtp")),
            // maxproc 0 (no limit), as master.cf may say.
            ["local"] = new("local", Local, TransportSettings.From(Parameters, "local") with { ProcessLimit = 0 }),
        };
        var settings = QueueManagerSettings.From(Parameters) with
        {
            IdlePollMinimum = TimeSpan.FromMilliseconds(5),
            IdlePollMaximum = TimeSpan.FromMilliseconds(20),
        };
        _qmgr = new QueueManager(Queue, settings, transports, Router ?? new DomainRouter(Routes), Notifier,
            new InProcessDestinationSlots(Clock), new SingleShardLeases(Store), Log, "qmgr-test", Clock);
        _running = _qmgr.RunAsync(_stop.Token);
    }

    public Task<QueuedMessage?> GetAsync(QueueId id) => Store.GetAsync(id, default).AsTask();

    /// <summary>Polls until <paramref name="condition"/> holds (fails after 5 s).</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(5);
        }
    }

    public Task WaitForAsync(Func<bool> condition, string what) => WaitForAsync(() => Task.FromResult(condition()), what);

    public Task WaitForLineAsync(string line) => WaitForAsync(() => Log.Contains(line), line);

    /// <summary>Waits until the message is back in deferred after its <paramref name="attempts"/>th attempt.</summary>
    public Task WaitForDeferredAsync(QueueId id, int attempts) => WaitForAsync(async () =>
        await GetAsync(id) is { Queue: QueueName.Deferred } m && m.Attempts >= attempts, $"{id} deferred after attempt {attempts}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null) await _running;
        if (_qmgr is not null) await _qmgr.DisposeAsync();
        await Store.DisposeAsync();
        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}

using System.Collections.Concurrent;
using System.Text;
using DnsClient;
using Mta.Config;
using Mta.Config.MasterCf;
using Mta.Delivery.Agents;
using Mta.Delivery.Smtp;
using Mta.Queue;
using Mta.Queue.File;
using Mta.Smtp;

namespace Mta.Delivery.Tests.Smtp;

/// <summary>
/// Builds a real <see cref="SmtpDeliveryAgent"/> for a test: the "smtp" or "lmtp" master.cf service, the
/// built-in parameters plus the test's overrides (timeouts of seconds, not minutes), a captured log, a file queue in a
/// temporary directory, and a DNS client asking the test's own DNS server.
/// </summary>
public sealed class SmtpAgentHarness : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mta-smtp-agent-").FullName;
    private readonly FileQueueStore _queue;
    private static long _sequence;

    public SmtpAgentHarness(string program = "smtp", IDnsQuery? dns = null, Func<string, int?>? portForHost = null,
        params (string Name, string Value)[] parameters)
    {
        _queue = FileQueueStore.Open(new FileQueueStoreOptions(Path.Combine(_directory, "queue")));
        var defaults = new List<(string, string)>
        {
            ("myhostname", "client.test"),
            ("compatibility_level", "3.6"),
            ($"{program}_connect_timeout", "10s"),
            (program == "lmtp" ? "lmtp_lhlo_timeout" : "smtp_helo_timeout", "15s"),
            ($"{program}_mail_timeout", "15s"),
            ($"{program}_rcpt_timeout", "15s"),
            ($"{program}_data_init_timeout", "15s"),
            ($"{program}_data_xfer_timeout", "15s"),
            ($"{program}_data_done_timeout", "15s"),
            ($"{program}_quit_timeout", "2s"),
            ($"{program}_starttls_timeout", "15s"),
            ("inet_protocols", "ipv4"),
        };
        var overrides = defaults.Concat(parameters).Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2));
        var service = new MasterService
        {
            Name = program, TypeField = "unix", Type = ServiceType.Unix, PrivateField = "-", UnprivilegedField = "-",
            ChrootField = "n", WakeupField = "-", MaxProcField = "-", Command = program, Arguments = [],
            PostconfArguments = [], Overrides = [], RawText = $"{program} unix - - n - - {program}", Line = 1, LastLine = 1,
        };
        var parameterSet = service.Apply(new ParameterSet(ParameterCatalogue.All, null, overrides));
        Context = new AgentContext(service, parameterSet, Log, _queue);
        Agent = new SmtpDeliveryAgent(Context, dns ?? SmtpDns.CreateClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9)), portForHost);
    }

    public AgentContext Context { get; }
    public SmtpDeliveryAgent Agent { get; }
    public CapturedLog Log { get; } = new();

    /// <summary>A request for <paramref name="recipients"/> with <paramref name="body"/> as the stored bytes.</summary>
    public static DeliveryRequest Request(string nexthop, string body, IEnumerable<string> recipients, string sender = "sender@client.test",
        string transport = "smtp", Func<Envelope, Envelope>? envelope = null) =>
        Request(nexthop, Encoding.UTF8.GetBytes(body), recipients.Select(r => new Recipient(r)), sender, transport, envelope);

    public static DeliveryRequest Request(string nexthop, byte[] body, IEnumerable<Recipient> recipients, string sender = "sender@client.test",
        string transport = "smtp", Func<Envelope, Envelope>? envelope = null)
    {
        var list = recipients.ToList();
        var env = new Envelope(sender, list, DateTimeOffset.UtcNow);
        if (envelope is not null)
            env = envelope(env);
        var id = QueueId.Create(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 0, (ulong)Interlocked.Increment(ref _sequence));
        var message = new QueuedMessage(id, QueueName.Active, env, body.Length,
            list.Select(_ => RecipientState.Pending).ToList(), null, 0);
        var deliveryRecipients = list.Select((r, i) => new DeliveryRecipient(i, r.Address, r)).ToList();
        return new DeliveryRequest(message, transport, nexthop, deliveryRecipients,
            _ => ValueTask.FromResult<Stream>(new MemoryStream(body, writable: false)));
    }

    public async ValueTask<IReadOnlyList<RecipientResult>> DeliverAsync(DeliveryRequest request)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await Agent.DeliverAsync(request, cancel.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await _queue.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public sealed class CapturedLog : IMailLog
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public void Write(string program, string text) => Lines.Enqueue($"{program}: {text}");
    }
}

using System.Text;
using Mta.Config;
using Mta.Config.MainCf;
using Mta.Config.MasterCf;
using Mta.Delivery.Agents;
using Mta.Queue;
using Mta.Queue.File;

namespace Mta.Delivery.Tests.Local;

/// <summary>
/// A temp directory with a main.cf, an aliases file, a spool and a real FileQueueStore, and helpers to build an
/// agent for a master.cf service and hand it a message.
/// </summary>
public sealed class AgentHarness : IAsyncDisposable
{
    public AgentHarness(string mainCf = "", string aliases = "", string users = "alice x\nbob x\ncarol x\n")
    {
        Root = Directory.CreateTempSubdirectory("mta-local-").FullName;
        Spool = Path.Combine(Root, "spool");
        Directory.CreateDirectory(Spool);
        System.IO.File.WriteAllText(AliasesPath, aliases);
        System.IO.File.WriteAllText(Path.Combine(Root, "users"), users);
        var text = $"""
            myhostname = mx.example.com
            mydomain = example.com
            myorigin = example.com
            mydestination = example.com, localhost
            alias_maps = texthash:{AliasesPath}
            local_recipient_maps = texthash:{Root}/users $alias_maps
            mail_spool_directory = {Spool}
            deliver_lock_attempts = 1
            """ + "\n" + mainCf.Replace("{root}", Root);
        Parameters = new ParameterSet(ParameterCatalogue.All, MainCfFile.Parse(text, Path.Combine(Root, "main.cf")));
        Directory.CreateDirectory(DaveHome);
        System.IO.File.WriteAllText(PasswdPath, $"dave:x:1000:1000:Dave:{DaveHome}:/bin/sh\n");
        Queue = FileQueueStore.Open(new FileQueueStoreOptions(Path.Combine(Root, "queue")));
    }

    public string Root { get; }
    public string Spool { get; }
    public string AliasesPath => Path.Combine(Root, "aliases");

    /// <summary>Where virtual tests put virtual_mailbox_base ("{root}/vmail" in main.cf text).</summary>
    public string VirtualBase => Path.Combine(Root, "vmail");
    public ParameterSet Parameters { get; }
    public IMailQueue Queue { get; }
    public TestLog Log { get; } = new();

    public AgentContext Context(string service = "local", string command = "local")
    {
        var entry = MasterCfFile.Parse($"{service} unix - n n - - {command}\n", Path.Combine(Root, "master.cf")).Services[0];
        return new AgentContext(entry, entry.Apply(Parameters), Log, Queue);
    }

    public static string Message(string body = "Hello.\r\n", string extraHeaders = "") =>
        $"{extraHeaders}From: sender@remote.example\r\nTo: someone@example.com\r\nSubject: test\r\nMessage-ID: <m1@remote.example>\r\n\r\n{body}";

    public static DeliveryRequest Request(string message, string sender, string transport, string nexthop, params string[] recipients)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var envelope = new Envelope(sender, recipients.Select(r => new Recipient(r)).ToList(), DateTimeOffset.UtcNow);
        var queued = new QueuedMessage(new QueueId("B5Mk0123456zB"), QueueName.Active, envelope, bytes.Length,
            recipients.Select(_ => RecipientState.Pending).ToList(), null, 0);
        var rcpts = recipients.Select((r, i) => new DeliveryRecipient(i, r, envelope.Recipients[i])).ToList();
        return new DeliveryRequest(queued, transport, nexthop, rcpts,
            _ => ValueTask.FromResult<Stream>(new MemoryStream(bytes, writable: false)));
    }

    /// <summary>A passwd file with one UNIX user, dave, whose home is under the temp directory.</summary>
    public string PasswdPath => Path.Combine(Root, "passwd");

    public string DaveHome => Path.Combine(Root, "home", "dave");

    /// <summary>local(8) for this harness, reading <see cref="PasswdPath"/> instead of /etc/passwd.</summary>
    public Mta.Delivery.Local.LocalDeliveryAgent LocalAgent(ParameterSet? parameters = null)
    {
        var context = Context();
        return new Mta.Delivery.Local.LocalDeliveryAgent(parameters is null ? context : context with { Parameters = parameters }, PasswdPath);
    }

    public string SpoolFile(string user) => Path.Combine(Spool, user);

    public string ReadSpool(string user) => System.IO.File.ReadAllText(SpoolFile(user));

    public async ValueTask DisposeAsync()
    {
        await Queue.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}

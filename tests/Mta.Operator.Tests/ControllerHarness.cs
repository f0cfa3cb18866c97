using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Mta.Operator.Controller;
using Mta.Operator.Hosting;
using Mta.Operator.Tests.FakeApi;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Mta.Operator.Tests;

/// <summary>A fake API server, a client, and operator instances with test timings (short leases, fast retries).</summary>
public sealed class ControllerHarness : IAsyncDisposable
{
    public const string Namespace = "mail";
    public const string OperatorNamespace = "mta-system";

    private readonly List<OperatorHost> operators = [];

    private ControllerHarness(FakeApiServer server)
    {
        Server = server;
        Kube = server.CreateClient();
    }

    public FakeApiServer Server { get; }
    public Kubernetes Kube { get; }
    public FakeObjectStore Store => Server.Store;

    public static async Task<ControllerHarness> StartAsync() =>
        new(await FakeApiServer.StartAsync(bookmarkInterval: TimeSpan.FromMilliseconds(500)));

    public static OperatorOptions TestOptions(string identity) => new()
    {
        OperatorNamespace = OperatorNamespace,
        Identity = identity,
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromMilliseconds(1500),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
        Workers = 2,
        ResyncPeriod = TimeSpan.FromSeconds(30),
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromSeconds(1),
        DiscoveryCacheTime = TimeSpan.FromMilliseconds(200),
        Informers = new InformerOptions { MinWatchTimeoutSeconds = 5, MaxWatchTimeoutSeconds = 10, ReconnectBaseDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromMilliseconds(500) },
        HttpPort = 0,
        HttpBindAddress = IPAddress.Loopback,
        ShutdownTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>Starts an operator instance (its own client, its own metrics registry) and waits until it runs.</summary>
    public async Task<OperatorHost> StartOperatorAsync(string identity = "op-1", IQueueProbe? probe = null, Func<OperatorOptions, OperatorOptions>? tune = null, IKubernetes? client = null)
    {
        var options = TestOptions(identity);
        if (tune is not null) options = tune(options);
        var host = OperatorHost.Create(client ?? Server.CreateClient(), options, probe, Metrics.NewCustomRegistry(),
            logging => { if (Environment.GetEnvironmentVariable("MTA_TEST_LOG") != "1") logging.ClearProviders(); });
        await host.StartAsync();
        operators.Add(host);
        return host;
    }

    public async Task StopOperatorAsync(OperatorHost host)
    {
        operators.Remove(host);
        await host.StopAsync();
        await host.DisposeAsync();
    }

    public static string MailServerJson(string name, string spec) =>
        $$"""{"apiVersion":"mta.dev/v1alpha1","kind":"MailServer","metadata":{"name":"{{name}}","namespace":"{{Namespace}}"},"spec":{{spec}}}""";

    public const string MinimalSpec = """{"domain":"example.org","redis":{"managed":{"enabled":true}}}""";

    public JsonObject CreateMailServer(string name, string spec = MinimalSpec) =>
        Store.Create(FakeResourceCatalog.MailServers, Namespace, JsonNode.Parse(MailServerJson(name, spec))!.AsObject(), "kubectl-client-side-apply");

    public JsonObject PatchMailServerSpec(string name, string specPatch) =>
        Store.MergePatch(FakeResourceCatalog.MailServers, Namespace, name, JsonNode.Parse($$"""{"spec":{{specPatch}}}""")!.AsObject(), "kubectl-patch", "");

    public JsonObject? MailServer(string name) => Store.TryGet(FakeResourceCatalog.MailServers, Namespace, name);

    public JsonObject? Get(FakeResource r, string name) => Store.TryGet(r, Namespace, name);

    public static JsonObject? Condition(JsonObject? ms, string type) =>
        (JsonTree.At(ms, ["status", "conditions"]) as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => JsonTree.Str(c, "type") == type);

    public static string? ConditionStatus(JsonObject? ms, string type) => JsonTree.Str(Condition(ms, type), "status");

    /// <summary>Polls until the condition holds; fails with the description after the timeout.</summary>
    public static async Task Eventually(Func<bool> condition, string description, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {seconds} s waiting for: {description}");
            await Task.Delay(25);
        }
    }

    /// <summary>Marks a Deployment rolled out, as the Deployment controller would.</summary>
    public void MarkDeploymentAvailable(string name)
    {
        var d = Store.Get(FakeResourceCatalog.Deployments, Namespace, name);
        var replicas = JsonTree.Long(JsonTree.At(d, ["spec", "replicas"])) ?? 1;
        Store.SetStatus(FakeResourceCatalog.Deployments, Namespace, name, new JsonObject
        {
            ["observedGeneration"] = JsonTree.Long(JsonTree.At(d, ["metadata", "generation"])),
            ["replicas"] = replicas, ["updatedReplicas"] = replicas, ["readyReplicas"] = replicas, ["availableReplicas"] = replicas,
        });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var op in operators.ToList())
        {
            try { await op.StopAsync(); } catch (Exception) { }
            await op.DisposeAsync();
        }
        Kube.Dispose();
        await Server.DisposeAsync();
    }
}

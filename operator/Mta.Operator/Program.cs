// The MailServer operator: reconciles mta.dev/v1alpha1 MailServers into ConfigMaps, Deployments, Services and the
// rest (see DESIGN.md, "The operator"). Configuration comes from the environment the Deployment sets.
using k8s;
using Mta.Operator.Controller;
using Mta.Operator.Hosting;

static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
var operatorNamespace = Env("POD_NAMESPACE")
    ?? (File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : "mta-system");

var options = new OperatorOptions
{
    WatchNamespace = Env("WATCH_NAMESPACE"),
    OperatorNamespace = operatorNamespace,
    Identity = Env("POD_NAME") ?? Environment.MachineName,
    LeaderElection = !string.Equals(Env("LEADER_ELECT"), "false", StringComparison.OrdinalIgnoreCase),
    HttpPort = int.TryParse(Env("HTTP_PORT"), out var port) ? port : 8080,
    PrometheusServerAddress = Env("PROMETHEUS_SERVER_ADDRESS"),
};
var queueKeyPatterns = Env("MTA_QUEUE_KEY_PATTERNS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
    ?? RedisQueueProbe.DefaultQueueKeyPatterns;

// One client for the whole process (KubernetesClient leaks handlers when clients are created per call).
using var kube = new Kubernetes(KubernetesClientConfiguration.BuildDefaultConfig());
await using var host = OperatorHost.Create(kube, options, new RedisQueueProbe(kube, queueKeyPatterns, TimeSpan.FromSeconds(3)));
await host.RunAsync(); // SIGTERM: graceful shutdown (workers drain, watches stop, the Lease is released)
return 0;

using System.Net;

namespace Mta.Operator.Controller;

/// <summary>Everything the operator can be told (environment variables in Program.cs; tests set short timings).</summary>
public sealed record OperatorOptions
{
    /// <summary>Namespace whose MailServers to reconcile; null watches all namespaces.</summary>
    public string? WatchNamespace { get; init; }

    /// <summary>The operator's own namespace: the Lease and nothing else lives there.</summary>
    public string OperatorNamespace { get; init; } = "mta-system";

    /// <summary>This instance's identity in the Lease (the pod name in a cluster).</summary>
    public string Identity { get; init; } = Environment.MachineName;

    public bool LeaderElection { get; init; } = true;
    public string LeaseName { get; init; } = "mta-operator-leader";
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Concurrent reconciles (never two on one MailServer).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Re-reconcile period of a healthy MailServer, to refresh the queue depth and Redis health.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Per-key retry backoff after a failed reconcile.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(50);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long discovery results (which optional APIs are served) are reused.</summary>
    public TimeSpan DiscoveryCacheTime { get; init; } = TimeSpan.FromSeconds(30);

    public InformerOptions Informers { get; init; } = new();

    /// <summary>Prometheus address for KEDA's prometheus trigger (RenderContext.PrometheusServerAddress).</summary>
    public string? PrometheusServerAddress { get; init; }

    /// <summary>Port of /healthz, /readyz and /metrics (0 = any free port, for tests).</summary>
    public int HttpPort { get; init; } = 8080;

    /// <summary>Address those endpoints listen on (tests use loopback).</summary>
    public IPAddress HttpBindAddress { get; init; } = IPAddress.Any;

    /// <summary>A watch with no event, bookmark or reconnect for this long makes /healthz fail.</summary>
    public TimeSpan WatchStaleAfter { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a graceful shutdown waits for in-flight reconciles.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(20);
}

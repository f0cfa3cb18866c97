using Prometheus;

namespace Mta.Operator.Controller;

/// <summary>
/// The operator's metrics under controller-runtime's names (HELPERS.md), on a registry of its own so two operator
/// instances in one test process do not share gauges; production passes <see cref="Metrics.DefaultRegistry"/>.
/// </summary>
public sealed class OperatorMetrics
{
    public const string ControllerName = "mailserver";

    public OperatorMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var f = Metrics.WithCustomRegistry(registry);
        ReconcileTotal = f.CreateCounter("controller_runtime_reconcile_total", "Reconciliations per controller and result.", "controller", "result");
        ReconcileErrors = f.CreateCounter("controller_runtime_reconcile_errors_total", "Reconciliation errors per controller.", "controller");
        ReconcileTime = f.CreateHistogram("controller_runtime_reconcile_time_seconds", "Time per reconciliation.",
            new HistogramConfiguration { LabelNames = ["controller"], Buckets = Histogram.ExponentialBuckets(0.005, 2, 14) });
        WorkQueueDepth = f.CreateGauge("workqueue_depth", "Current depth of the work queue.", "name");
        WorkQueueAdds = f.CreateCounter("workqueue_adds_total", "Adds handled by the work queue.", "name");
        WorkQueueRetries = f.CreateCounter("workqueue_retries_total", "Retries handled by the work queue.", "name");
        LeaderStatus = f.CreateGauge("leader_election_master_status", "1 while this instance leads, else 0.", "name");
        ConfigValid = f.CreateGauge("mta_operator_mailserver_config_valid", "1 when the MailServer's rendered config is valid.", "namespace", "name");
        Ready = f.CreateGauge("mta_operator_mailserver_ready", "1 when the MailServer is Ready.", "namespace", "name");
    }

    public CollectorRegistry Registry { get; }
    public Counter ReconcileTotal { get; }
    public Counter ReconcileErrors { get; }
    public Histogram ReconcileTime { get; }
    public Gauge WorkQueueDepth { get; }
    public Counter WorkQueueAdds { get; }
    public Counter WorkQueueRetries { get; }
    public Gauge LeaderStatus { get; }
    public Gauge ConfigValid { get; }
    public Gauge Ready { get; }
}

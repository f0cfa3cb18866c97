namespace Mta.Deploy.Tests;

/// <summary>The metric names the MTA and the operator export (agreed in HELPERS.md); rules and dashboards use only these.</summary>
internal static class AgreedMetrics
{
    public static readonly IReadOnlySet<string> Mta = new HashSet<string>
    {
        "mta_smtpd_sessions_total", "mta_smtpd_active_sessions", "mta_smtpd_messages_accepted_total",
        "mta_smtpd_rejects_total", "mta_smtpd_received_bytes_total", "mta_smtpd_accept_latency_seconds",
        "mta_queue_messages", "mta_queue_oldest_age_seconds", "mta_delivery_total", "mta_delivery_latency_seconds",
        "mta_bounces_total", "mta_redis_up", "mta_redis_command_latency_seconds", "mta_redis_memory_used_bytes",
        "mta_redis_maxmemory_bytes",
    };

    public static readonly IReadOnlySet<string> Operator = new HashSet<string>
    {
        "controller_runtime_reconcile_total", "controller_runtime_reconcile_errors_total",
        "controller_runtime_reconcile_time_seconds", "workqueue_depth", "workqueue_adds_total", "workqueue_retries_total",
        "leader_election_master_status", "mta_operator_mailserver_config_valid", "mta_operator_mailserver_ready",
    };

    /// <summary>kube-state-metrics series the smtpd availability alerts read.</summary>
    public static readonly IReadOnlySet<string> KubeStateMetrics = new HashSet<string>
    {
        "kube_deployment_status_replicas_available", "kube_deployment_spec_replicas",
    };

    public static readonly IReadOnlySet<string> Histograms = new HashSet<string>
    {
        "mta_smtpd_accept_latency_seconds", "mta_delivery_latency_seconds", "mta_redis_command_latency_seconds",
        "controller_runtime_reconcile_time_seconds",
    };

    /// <summary>The agreed family a series name belongs to (histogram _bucket/_sum/_count map to the histogram).</summary>
    public static string Family(string series)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (series.EndsWith(suffix, StringComparison.Ordinal) && Histograms.Contains(series[..^suffix.Length]))
            {
                return series[..^suffix.Length];
            }
        }
        return series;
    }
}

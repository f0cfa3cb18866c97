using Prometheus;

namespace Mta.Smtp;

/// <summary>The agreed mta_smtpd_* metrics (prometheus-net default registry).</summary>
public static class SmtpdMetrics
{
    public static readonly Counter Sessions = Metrics.CreateCounter(
        "mta_smtpd_sessions_total", "SMTP sessions accepted by smtpd.");

    public static readonly Gauge ActiveSessions = Metrics.CreateGauge(
        "mta_smtpd_active_sessions", "SMTP sessions in progress.");

    public static readonly Counter MessagesAccepted = Metrics.CreateCounter(
        "mta_smtpd_messages_accepted_total", "Messages answered with 250 after a durable enqueue.");

    public static readonly Counter Rejects = Metrics.CreateCounter(
        "mta_smtpd_rejects_total", "Rejected SMTP requests by reason.", new CounterConfiguration { LabelNames = ["reason"] });

    public static readonly Counter ReceivedBytes = Metrics.CreateCounter(
        "mta_smtpd_received_bytes_total", "Message bytes stored by smtpd.");

    public static readonly Histogram AcceptLatency = Metrics.CreateHistogram(
        "mta_smtpd_accept_latency_seconds", "Time from end of message data to the 250 reply (durable enqueue).",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
}

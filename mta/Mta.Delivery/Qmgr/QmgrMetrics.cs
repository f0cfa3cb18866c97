using Prometheus;

namespace Mta.Delivery.Qmgr;

/// <summary>The agreed delivery and queue metrics (prometheus-net default registry).</summary>
public static class QmgrMetrics
{
    /// <summary>Recipient outcomes by transport and status (sent, deferred, bounced, SOFTBOUNCE).</summary>
    public static readonly Counter Deliveries = Metrics.CreateCounter(
        "mta_delivery_total", "Recipient delivery outcomes by transport and status.",
        new CounterConfiguration { LabelNames = ["transport", "status"] });

    /// <summary>Arrival to outcome, per transport (the delay= of the log line).</summary>
    public static readonly Histogram DeliveryLatency = Metrics.CreateHistogram(
        "mta_delivery_latency_seconds", "Time from arrival to a delivery outcome.",
        new HistogramConfiguration { LabelNames = ["transport"], Buckets = Histogram.ExponentialBuckets(0.01, 4, 12) });

    /// <summary>Notices queued: bounce (non-delivery), expired (non-delivery after maximal_queue_lifetime), delay, success.</summary>
    public static readonly Counter Notices = Metrics.CreateCounter(
        "mta_bounces_total", "Delivery status notifications queued, by kind (bounce, delay, success, expired).",
        new CounterConfiguration { LabelNames = ["kind"] });

    public static readonly Gauge QueueMessages = Metrics.CreateGauge(
        "mta_queue_messages", "Messages in each queue.", new GaugeConfiguration { LabelNames = ["queue"] });

    public static readonly Gauge QueueOldestAge = Metrics.CreateGauge(
        "mta_queue_oldest_age_seconds", "Age of the oldest message in each queue (0 when empty).",
        new GaugeConfiguration { LabelNames = ["queue"] });
}

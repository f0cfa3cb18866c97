using k8s;
using k8s.Models;
using Mta.Operator.Api;

namespace Mta.Operator.Rendering;

/// <summary>
/// autoscaling/v2 HPAs, or a KEDA ScaledObject for delivery's queue depth. Only what this cluster serves is
/// rendered; a metric asked for but not available is reported as a warning instead of silently dropped.
/// </summary>
public static class AutoscalerRenderer
{
    public const string ActiveSessionsMetric = "mta_smtpd_active_sessions";
    public const string QueueMetric = "mta_queue_messages";

    /// <summary>The label the ServiceMonitor copies from the metrics Service onto every series (sanitised by Prometheus).</summary>
    public const string InstanceMetricLabel = "app_kubernetes_io_instance";

    public static IKubernetesObject<V1ObjectMeta>? Smtpd(ObjectFactory f, RenderContext ctx, List<string> warnings)
    {
        var auto = f.Owner.Spec.Smtpd.Autoscaling;
        if (auto is not { Enabled: true })
            return null;

        var metrics = new List<V2MetricSpec>();
        AddCpu(metrics, auto);
        if (auto.TargetActiveSessions is { } sessions)
        {
            if (ctx.CustomMetricsAvailable)
            {
                metrics.Add(new V2MetricSpec
                {
                    Type = "Pods",
                    Pods = new V2PodsMetricSource
                    {
                        Metric = new V2MetricIdentifier { Name = ActiveSessionsMetric },
                        Target = new V2MetricTarget { Type = "AverageValue", AverageValue = sessions.ToString() },
                    },
                });
            }
            else
            {
                warnings.Add("smtpd.autoscaling.targetActiveSessions needs the custom metrics API (custom.metrics.k8s.io), which is not served; scaling on CPU only");
            }
        }

        // SMTP sessions are long-lived and not rebalanced: scale down slowly, one pod at a time, so each can drain.
        var behavior = new V2HorizontalPodAutoscalerBehavior
        {
            ScaleDown = new V2HPAScalingRules
            {
                StabilizationWindowSeconds = 300,
                Policies = [new V2HPAScalingPolicy { Type = "Pods", Value = 1, PeriodSeconds = 120 }],
            },
        };
        return Hpa(f, Tier.Smtpd, auto, metrics, warnings, behavior);
    }

    public static IKubernetesObject<V1ObjectMeta>? Qmgr(ObjectFactory f, List<string> warnings)
    {
        var auto = f.Owner.Spec.Qmgr.Autoscaling;
        if (auto is not { Enabled: true })
            return null;

        var metrics = new List<V2MetricSpec>();
        AddCpu(metrics, auto);
        return Hpa(f, Tier.Qmgr, auto, metrics, warnings, behavior: null);
    }

    public static IKubernetesObject<V1ObjectMeta>? Delivery(ObjectFactory f, RenderContext ctx, List<string> warnings)
    {
        var auto = f.Owner.Spec.Delivery.Autoscaling;
        if (auto is not { Enabled: true })
            return null;

        var metrics = new List<V2MetricSpec>();
        AddCpu(metrics, auto);
        if (auto.TargetQueueDepth is { } depth)
        {
            if (ctx.KedaAvailable && !string.IsNullOrEmpty(ctx.PrometheusServerAddress))
                return ScaledObject(f, auto, depth, ctx.PrometheusServerAddress);
            if (ctx.KedaAvailable)
                warnings.Add("KEDA is served but no Prometheus address is configured for its prometheus trigger; trying an External metric");

            if (ctx.ExternalMetricsAvailable)
            {
                metrics.Add(new V2MetricSpec
                {
                    Type = "External",
                    External = new V2ExternalMetricSource
                    {
                        Metric = new V2MetricIdentifier
                        {
                            Name = QueueMetric,
                            Selector = new V1LabelSelector
                            {
                                MatchLabels = new Dictionary<string, string> { ["queue"] = "active", [InstanceMetricLabel] = f.Name },
                            },
                        },
                        Target = new V2MetricTarget { Type = "AverageValue", AverageValue = depth.ToString() },
                    },
                });
            }
            else
            {
                warnings.Add("delivery.autoscaling.targetQueueDepth needs KEDA or the external metrics API (external.metrics.k8s.io), neither is served; scaling on CPU only");
            }
        }

        return Hpa(f, Tier.Delivery, auto, metrics, warnings, behavior: null);
    }

    private static void AddCpu(List<V2MetricSpec> metrics, AutoscalingSpec auto)
    {
        if (auto.TargetCPUUtilizationPercentage is { } cpu)
            metrics.Add(Cpu(cpu));
    }

    private static V2MetricSpec Cpu(int percent) => new()
    {
        Type = "Resource",
        Resource = new V2ResourceMetricSource
        {
            Name = "cpu",
            Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = percent },
        },
    };

    private static V2HorizontalPodAutoscaler Hpa(ObjectFactory f, Tier tier, AutoscalingSpec auto, List<V2MetricSpec> metrics,
        List<string> warnings, V2HorizontalPodAutoscalerBehavior? behavior)
    {
        if (metrics.Count == 0)
        {
            // An HPA needs a metric; say which one we chose rather than rely on the API server's implicit 80 %.
            warnings.Add($"{tier.Name()}.autoscaling has no usable metric; scaling on 80% CPU utilization");
            metrics.Add(Cpu(80));
        }

        var component = tier.Name();
        return new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = "HorizontalPodAutoscaler",
            Metadata = f.Metadata(f.NameFor(component), component),
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = f.NameFor(component) },
                MinReplicas = auto.MinReplicas,
                MaxReplicas = auto.MaxReplicas,
                Metrics = metrics,
                Behavior = behavior,
            },
        };
    }

    /// <summary>KEDA owns the delivery HPA through this object (never both an HPA of ours and KEDA's on one Deployment).</summary>
    private static GenericResource ScaledObject(ObjectFactory f, DeliveryAutoscalingSpec auto, int depth, string prometheus)
    {
        var query = $"max({QueueMetric}{{queue=\"active\",namespace=\"{f.Namespace}\",{InstanceMetricLabel}=\"{f.Name}\"}})";
        var triggers = new List<object?>
        {
            new Dictionary<string, object?>
            {
                ["type"] = "prometheus",
                ["metadata"] = new Dictionary<string, object?>
                {
                    ["serverAddress"] = prometheus,
                    ["query"] = query,
                    ["threshold"] = depth.ToString(),
                },
            },
        };
        if (auto.TargetCPUUtilizationPercentage is { } cpu)
        {
            triggers.Add(new Dictionary<string, object?>
            {
                ["type"] = "cpu",
                ["metricType"] = "Utilization",
                ["metadata"] = new Dictionary<string, object?> { ["value"] = cpu.ToString() },
            });
        }

        return new GenericResource
        {
            ApiVersion = "keda.sh/v1alpha1",
            Kind = "ScaledObject",
            Metadata = f.Metadata(f.NameFor("delivery"), "delivery"),
            Spec = new Dictionary<string, object?>
            {
                ["scaleTargetRef"] = new Dictionary<string, object?> { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = f.NameFor("delivery") },
                ["minReplicaCount"] = auto.MinReplicas,
                ["maxReplicaCount"] = auto.MaxReplicas,
                ["triggers"] = triggers,
            },
        };
    }
}

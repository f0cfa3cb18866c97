using Mta.Operator.Api;

namespace Mta.Operator.Rendering;

/// <summary>ServiceMonitor and PrometheusRule (monitoring.coreos.com/v1), only when asked for and served.</summary>
public static class MonitoringRenderer
{
    public static GenericResource? ServiceMonitor(ObjectFactory f, RenderContext ctx, List<string> warnings)
    {
        var monitoring = f.Owner.Spec.Monitoring;
        if (!monitoring.ServiceMonitor)
            return null;
        if (!ctx.ServiceMonitorAvailable)
        {
            warnings.Add("monitoring.serviceMonitor is on but servicemonitors.monitoring.coreos.com is not served");
            return null;
        }

        return new GenericResource
        {
            ApiVersion = "monitoring.coreos.com/v1",
            Kind = "ServiceMonitor",
            Metadata = f.Metadata(f.Name, "metrics", monitoring.Labels),
            Spec = new Dictionary<string, object?>
            {
                ["selector"] = new Dictionary<string, object?> { ["matchLabels"] = ToObjects(f.Labels("metrics")) },
                ["endpoints"] = new List<object?>
                {
                    new Dictionary<string, object?> { ["port"] = "metrics", ["path"] = "/metrics", ["interval"] = "30s" },
                },
                // Becomes the app_kubernetes_io_instance label the autoscalers and alerts select on.
                ["targetLabels"] = new List<object?> { "app.kubernetes.io/instance" },
            },
        };
    }

    public static GenericResource? PrometheusRule(ObjectFactory f, RenderContext ctx, List<string> warnings)
    {
        var monitoring = f.Owner.Spec.Monitoring;
        if (!monitoring.PrometheusRule)
            return null;
        if (!ctx.PrometheusRuleAvailable)
        {
            warnings.Add("monitoring.prometheusRule is on but prometheusrules.monitoring.coreos.com is not served");
            return null;
        }

        var sel = $"namespace=\"{f.Namespace}\",{AutoscalerRenderer.InstanceMetricLabel}=\"{f.Name}\"";
        var rules = new List<object?>
        {
            Alert("MtaQueueBacklog", $"max(mta_queue_messages{{queue=\"active\",{sel}}}) > 1000", "15m", "warning",
                "The active queue of {{ $labels.namespace }}/" + f.Name + " has held over 1000 messages for 15 minutes.",
                "Check delivery pods and their logs for deferrals; scale the delivery tier."),
            Alert("MtaDeferredTooOld", $"max(mta_queue_oldest_age_seconds{{queue=\"deferred\",{sel}}}) > 86400", "30m", "warning",
                "A deferred message of " + f.Name + " is over a day old.",
                "Look up the oldest deferred message with mailq and its last delivery error."),
            Alert("MtaRedisDown", $"min(mta_redis_up{{{sel}}}) == 0", "2m", "critical",
                "Pods of " + f.Name + " cannot reach Redis; no mail is accepted.",
                "Check the Redis pod or the external Redis and the password Secret."),
            Alert("MtaSmtpdNotReady",
                $"kube_deployment_status_replicas_available{{namespace=\"{f.Namespace}\",deployment=\"{f.NameFor("smtpd")}\"}} < 1", "5m", "critical",
                "No smtpd pod of " + f.Name + " is ready.",
                "kubectl describe the smtpd Deployment and its pods."),
            Alert("MtaConfigInvalid", $"mta_operator_mailserver_config_valid{{namespace=\"{f.Namespace}\",name=\"{f.Name}\"}} == 0", "1m", "warning",
                "The configuration of MailServer " + f.Name + " is invalid; the previous one keeps running.",
                "kubectl get mailserver " + f.Name + " -o yaml and read the ConfigValid condition."),
        };

        return new GenericResource
        {
            ApiVersion = "monitoring.coreos.com/v1",
            Kind = "PrometheusRule",
            Metadata = f.Metadata(f.Name, "metrics", monitoring.Labels),
            Spec = new Dictionary<string, object?>
            {
                ["groups"] = new List<object?>
                {
                    new Dictionary<string, object?> { ["name"] = $"mta.{f.Name}", ["rules"] = rules },
                },
            },
        };
    }

    private static Dictionary<string, object?> Alert(string name, string expr, string @for, string severity, string summary, string runbook) => new()
    {
        ["alert"] = name,
        ["expr"] = expr,
        ["for"] = @for,
        ["labels"] = new Dictionary<string, object?> { ["severity"] = severity },
        ["annotations"] = new Dictionary<string, object?> { ["summary"] = summary, ["runbook"] = runbook },
    };

    private static Dictionary<string, object?> ToObjects(Dictionary<string, string> labels) =>
        labels.ToDictionary(l => l.Key, l => (object?)l.Value);
}

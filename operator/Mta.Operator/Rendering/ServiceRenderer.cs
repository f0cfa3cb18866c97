using k8s.Models;

namespace Mta.Operator.Rendering;

/// <summary>The smtpd Service (user-facing ports onto unprivileged container ports) and a headless metrics Service.</summary>
public static class ServiceRenderer
{
    public static V1Service Smtpd(ObjectFactory f)
    {
        var service = f.Owner.Spec.Smtpd.Service;
        var ports = new List<V1ServicePort>
        {
            new() { Name = "smtp", Port = service.Ports.Smtp, TargetPort = "smtp", Protocol = "TCP" },
        };
        if (service.Ports.Submission is { } submission)
            ports.Add(new V1ServicePort { Name = "submission", Port = submission, TargetPort = "submission", Protocol = "TCP" });
        if (service.Ports.Submissions is { } submissions)
            ports.Add(new V1ServicePort { Name = "submissions", Port = submissions, TargetPort = "submissions", Protocol = "TCP" });

        // externalTrafficPolicy is only meaningful (and only accepted) for NodePort and LoadBalancer Services.
        var external = service.Type is "NodePort" or "LoadBalancer" ? service.ExternalTrafficPolicy : null;
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = f.Metadata(f.NameFor("smtpd"), "smtpd", annotations: service.Annotations),
            Spec = new V1ServiceSpec
            {
                Type = service.Type,
                ExternalTrafficPolicy = external,
                Selector = f.SelectorLabels("smtpd"),
                Ports = ports,
            },
        };
    }

    /// <summary>Selects every mta pod of this MailServer on its metrics port; what the ServiceMonitor scrapes.</summary>
    public static V1Service Metrics(ObjectFactory f) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = f.Metadata(f.MetricsServiceName, "metrics"),
        Spec = new V1ServiceSpec
        {
            ClusterIP = "None",
            Selector = f.InstanceLabels(),
            Ports = [new V1ServicePort { Name = "metrics", Port = Layout.MetricsPort, TargetPort = "metrics", Protocol = "TCP" }],
        },
    };
}

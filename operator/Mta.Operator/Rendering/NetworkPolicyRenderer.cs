using k8s.Models;

namespace Mta.Operator.Rendering;

/// <summary>
/// Ingress policies: smtpd open on its SMTP ports, qmgr and delivery reachable only for metrics,
/// and the managed Redis only from this MailServer's own pods.
/// </summary>
public static class NetworkPolicyRenderer
{
    public static V1NetworkPolicy Smtpd(ObjectFactory f)
    {
        var ports = new List<V1NetworkPolicyPort> { Tcp(Layout.SmtpContainerPort) };
        if (f.Owner.Spec.Smtpd.Service.Ports.Submission is not null)
            ports.Add(Tcp(Layout.SubmissionContainerPort));
        if (f.Owner.Spec.Smtpd.Service.Ports.Submissions is not null)
            ports.Add(Tcp(Layout.SubmissionsContainerPort));
        ports.Add(Tcp(Layout.MetricsPort));

        return Policy(f, f.NameFor("smtpd"), "smtpd", f.SelectorLabels("smtpd"), [new V1NetworkPolicyIngressRule { Ports = ports }]);
    }

    public static V1NetworkPolicy Workers(ObjectFactory f)
    {
        var selector = f.InstanceLabels();
        var policy = Policy(f, f.NameFor("workers"), "workers", selector,
            [new V1NetworkPolicyIngressRule { Ports = [Tcp(Layout.MetricsPort)] }]);
        policy.Spec.PodSelector.MatchLabels = null;
        policy.Spec.PodSelector.MatchExpressions =
        [
            new V1LabelSelectorRequirement { Key = "app.kubernetes.io/name", OperatorProperty = "In", Values = [ObjectFactory.AppName] },
            new V1LabelSelectorRequirement { Key = "app.kubernetes.io/instance", OperatorProperty = "In", Values = [f.Name] },
            new V1LabelSelectorRequirement { Key = "app.kubernetes.io/component", OperatorProperty = "In", Values = ["qmgr", "delivery"] },
        ];
        return policy;
    }

    public static V1NetworkPolicy Redis(ObjectFactory f) => Policy(f, f.RedisName, "redis", f.SelectorLabels("redis"),
    [
        new V1NetworkPolicyIngressRule
        {
            FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = f.InstanceLabels() } }],
            Ports = [Tcp(Layout.RedisPort)],
        },
    ]);

    private static V1NetworkPolicy Policy(ObjectFactory f, string name, string component, Dictionary<string, string> podLabels,
        List<V1NetworkPolicyIngressRule> ingress) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = f.Metadata(name, component),
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector { MatchLabels = podLabels },
            PolicyTypes = ["Ingress"],
            Ingress = ingress,
        },
    };

    private static V1NetworkPolicyPort Tcp(int port) => new() { Port = port, Protocol = "TCP" };
}

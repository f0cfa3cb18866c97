using k8s.Models;
using Mta.Operator.Api;

namespace Mta.Operator.Rendering;

/// <summary>Names, labels and owner references shared by every child of one MailServer.</summary>
public sealed class ObjectFactory(MailServer owner)
{
    public const string AppName = "mta";
    public const string ManagedBy = "mta-operator";

    public MailServer Owner { get; } = owner;
    public string Name => Owner.Metadata.Name;
    public string? Namespace => Owner.Metadata.NamespaceProperty;

    public string NameFor(string component) => $"{Name}-{component}";
    public string ConfigMapName(Tier tier) => $"{Name}-{tier.Name()}-config";
    public string RedisName => NameFor("redis");
    public string MetricsServiceName => NameFor("metrics");
    public string MailboxClaimName => NameFor("mailboxes");

    /// <summary>
    /// Selector labels: stable for the life of a Deployment (selectors are immutable). The managed Redis is named
    /// "redis", so selectors of "every mta pod of this instance" (metrics Service, Redis clients) leave it out.
    /// </summary>
    public Dictionary<string, string> SelectorLabels(string component) => new()
    {
        ["app.kubernetes.io/name"] = component == "redis" ? "redis" : AppName,
        ["app.kubernetes.io/instance"] = Name,
        ["app.kubernetes.io/component"] = component,
    };

    /// <summary>Instance labels shared by all components (NetworkPolicy peers, metrics Service).</summary>
    public Dictionary<string, string> InstanceLabels() => new()
    {
        ["app.kubernetes.io/name"] = AppName,
        ["app.kubernetes.io/instance"] = Name,
    };

    public Dictionary<string, string> Labels(string component)
    {
        var labels = SelectorLabels(component);
        labels["app.kubernetes.io/managed-by"] = ManagedBy;
        return labels;
    }

    public V1ObjectMeta Metadata(string name, string component, IDictionary<string, string>? extraLabels = null, IDictionary<string, string>? annotations = null)
    {
        var labels = Labels(component);
        if (extraLabels is not null)
        {
            foreach (var (key, value) in extraLabels)
                labels.TryAdd(key, value);
        }

        return new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = Namespace,
            Labels = labels,
            Annotations = annotations is { Count: > 0 } ? new Dictionary<string, string>(annotations) : null,
            OwnerReferences = [OwnerReference()],
        };
    }

    /// <summary>The controller reference that lets garbage collection remove children with their MailServer.</summary>
    public V1OwnerReference OwnerReference() => new()
    {
        ApiVersion = MailServer.GroupVersion,
        Kind = MailServer.EntityKind,
        Name = Owner.Metadata.Name,
        Uid = Owner.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}

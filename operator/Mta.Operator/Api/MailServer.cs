using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Mta.Operator.Api;

/// <summary>
/// A mail fleet: smtpd, qmgr and delivery tiers sharing one Redis-backed queue.
/// The CRD in crds/mailservers.mta.dev.yaml is the source of truth; a test keeps these types in step with it.
/// </summary>
[KubernetesEntity(Group = Group, ApiVersion = Version, Kind = EntityKind, PluralName = Plural)]
public sealed class MailServer : IKubernetesObject<V1ObjectMeta>, ISpec<MailServerSpec>, IStatus<MailServerStatus?>
{
    public const string Group = "mta.dev";
    public const string Version = "v1alpha1";
    public const string EntityKind = "MailServer";
    public const string Plural = "mailservers";
    public const string GroupVersion = Group + "/" + Version;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = EntityKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public MailServerSpec Spec { get; set; } = new() { Domain = "" };

    [JsonPropertyName("status")]
    public MailServerStatus? Status { get; set; }
}

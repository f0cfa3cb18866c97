using System.Text.Json.Serialization;
using k8s.Models;

namespace Mta.Operator.Api;

/// <summary>A PVC mounted at /var/mail in delivery pods for local(8) and virtual(8) mailboxes.</summary>
public sealed class MailboxStorageSpec
{
    [JsonPropertyName("size")]
    public ResourceQuantity Size { get; set; } = new("10Gi");

    [JsonPropertyName("storageClassName")]
    public string? StorageClassName { get; set; }

    /// <summary>ReadWriteOnce or ReadWriteMany; several delivery pods on several nodes need ReadWriteMany.</summary>
    [JsonPropertyName("accessMode")]
    public string AccessMode { get; set; } = "ReadWriteOnce";
}

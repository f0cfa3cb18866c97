using k8s.Models;

namespace Mta.Operator.Rendering;

/// <summary>The PVC that delivery pods mount at /var/mail for local(8)/virtual(8) mailboxes.</summary>
public static class MailboxClaimRenderer
{
    public static V1PersistentVolumeClaim? Render(ObjectFactory f)
    {
        if (f.Owner.Spec.MailboxStorage is not { } storage)
            return null;

        return new V1PersistentVolumeClaim
        {
            ApiVersion = "v1",
            Kind = "PersistentVolumeClaim",
            Metadata = f.Metadata(f.MailboxClaimName, "delivery"),
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = [storage.AccessMode],
                StorageClassName = storage.StorageClassName,
                Resources = new V1VolumeResourceRequirements
                {
                    Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = storage.Size },
                },
            },
        };
    }
}

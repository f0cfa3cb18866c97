using k8s.Models;

namespace Mta.Operator.Rendering;

/// <summary>Pod Security "restricted": non-root, read-only root, no capabilities, RuntimeDefault seccomp.</summary>
public static class PodSecurity
{
    public static V1PodSecurityContext Pod(long userId) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = userId,
        RunAsGroup = userId,
        FsGroup = userId,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static V1SecurityContext Container() => new()
    {
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = true,
        RunAsNonRoot = true,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static V1ResourceRequirements? Resources(Api.ResourcesSpec? spec) => spec is null
        ? null
        : new V1ResourceRequirements
        {
            Requests = spec.Requests is null ? null : new Dictionary<string, ResourceQuantity>(spec.Requests),
            Limits = spec.Limits is null ? null : new Dictionary<string, ResourceQuantity>(spec.Limits),
        };
}

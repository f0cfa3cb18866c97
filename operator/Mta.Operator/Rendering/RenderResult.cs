using k8s;
using k8s.Models;

namespace Mta.Operator.Rendering;

/// <summary>
/// The objects a MailServer owns, or why none may be applied. When <see cref="ConfigValid"/> is false,
/// <see cref="Objects"/> is empty and the caller keeps what is running (ConfigValid=False, <see cref="ConfigError"/>).
/// </summary>
public sealed record RenderResult
{
    public required bool ConfigValid { get; init; }

    /// <summary>Mta.Config's message ("main.cf, line N: ...") when the rendered configuration is invalid.</summary>
    public string? ConfigError { get; init; }

    /// <summary>Every child in apply order (ConfigMaps and Redis first, autoscalers after their targets).</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects { get; init; } = [];

    /// <summary>SHA-256 (hex) over all tiers' rendered configuration; what status.configHash reports.</summary>
    public string? ConfigHash { get; init; }

    /// <summary>Things asked for that this cluster cannot provide (reported as Degraded), e.g. KEDA not served.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static RenderResult Invalid(string error) => new() { ConfigValid = false, ConfigError = error };
}

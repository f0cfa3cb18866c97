using k8s;
using Mta.Operator.Rendering;

namespace Mta.Operator.Controller;

/// <summary>
/// Which optional APIs the cluster serves (API discovery, cached briefly), turned into the renderer's
/// <see cref="RenderContext"/> so the renderer stays pure.
/// </summary>
public sealed class ClusterCapabilities(IKubernetes kube, OperatorOptions options, TimeProvider time)
{
    private readonly SemaphoreSlim refresh = new(1, 1);
    private (RenderContext Context, HashSet<string> Groups, DateTimeOffset At)? cached;

    public async Task<RenderContext> GetAsync(CancellationToken ct) => (await LoadAsync(ct).ConfigureAwait(false)).Context;

    /// <summary>True when the API group (e.g. monitoring.coreos.com) is served.</summary>
    public async Task<bool> ServesGroupAsync(string group, CancellationToken ct) =>
        group.Length == 0 || (await LoadAsync(ct).ConfigureAwait(false)).Groups.Contains(group);

    private async Task<(RenderContext Context, HashSet<string> Groups, DateTimeOffset At)> LoadAsync(CancellationToken ct)
    {
        if (cached is { } hit && time.GetUtcNow() - hit.At < options.DiscoveryCacheTime) return hit;
        await refresh.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (cached is { } again && time.GetUtcNow() - again.At < options.DiscoveryCacheTime) return again;
            var list = await kube.Apis.GetAPIVersionsAsync(ct).ConfigureAwait(false);
            var groups = list.Groups.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
            var context = new RenderContext
            {
                CustomMetricsAvailable = groups.Contains("custom.metrics.k8s.io"),
                ExternalMetricsAvailable = groups.Contains("external.metrics.k8s.io"),
                KedaAvailable = groups.Contains("keda.sh"),
                PrometheusServerAddress = options.PrometheusServerAddress,
                ServiceMonitorAvailable = groups.Contains("monitoring.coreos.com"),
                PrometheusRuleAvailable = groups.Contains("monitoring.coreos.com"),
            };
            cached = (context, groups, time.GetUtcNow());
            return cached.Value;
        }
        finally
        {
            refresh.Release();
        }
    }
}

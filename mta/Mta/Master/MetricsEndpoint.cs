using Mta.Smtp;
using Prometheus;

namespace Mta.Master;

/// <summary>
/// Prometheus /metrics for the whole process (the mta_* metrics every service registers), on the port named by
/// MTA_METRICS_PORT — set by the operator's pod template; on one host it is off unless set.
/// </summary>
internal static class MetricsEndpoint
{
    public static IDisposable? Start(IMailLog log)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("MTA_METRICS_PORT"), out var port) || port <= 0)
            return null;
        try
        {
            return new MetricServer(hostname: "+", port: port).Start();
        }
        catch (Exception e) when (e is System.Net.HttpListenerException or InvalidOperationException)
        {
            log.Write("postfix/master", $"warning: metrics endpoint on port {port}: {e.Message}");
            return null;
        }
    }
}

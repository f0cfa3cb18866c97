using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mta.Operator.Api;
using Mta.Operator.Controller;
using Mta.Operator.Rendering;
using Prometheus;

namespace Mta.Operator.Hosting;

/// <summary>
/// The operator process: the controller under leader election as a hosted service, plus /healthz, /readyz and
/// /metrics on Kestrel. Stopping it is a graceful shutdown: workers drain, watches stop, the Lease is released.
/// </summary>
public sealed class OperatorHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private OperatorHost(WebApplication app, OperatorService service)
    {
        this.app = app;
        Service = service;
    }

    public OperatorService Service { get; }

    /// <summary>Where /healthz, /readyz and /metrics answer (after <see cref="StartAsync"/>).</summary>
    public Uri HttpAddress => new(app.Urls.First());

    public static OperatorHost Create(IKubernetes kube, OperatorOptions options, IQueueProbe? queueProbe = null,
        CollectorRegistry? registry = null, Action<ILoggingBuilder>? logging = null,
        Func<MailServer, RenderContext, RenderResult>? render = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        logging?.Invoke(builder.Logging);
        builder.WebHost.UseKestrel(k => k.Listen(options.HttpBindAddress, options.HttpPort));
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        var metrics = new OperatorMetrics(registry ?? Metrics.DefaultRegistry);
        builder.Services.AddSingleton(sp => new OperatorService(kube, options, metrics, queueProbe, render ?? MailServerRenderer.Render,
            TimeProvider.System, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OperatorService>());
        var app = builder.Build();
        var service = app.Services.GetRequiredService<OperatorService>();

        app.MapGet("/healthz", () =>
        {
            // Live unless, while leading, a watch has gone silent (no event, bookmark or reconnect) for too long.
            var controller = service.Controller;
            var stale = controller is { HasSynced: true } && DateTimeOffset.UtcNow - controller.OldestWatchActivity > options.WatchStaleAfter;
            return stale ? Results.Text("watch stalled", statusCode: 500) : Results.Text("ok");
        });
        app.MapGet("/readyz", () =>
        {
            // Standbys are ready (readiness never depends on leadership); a leader once its caches are synced.
            var controller = service.Controller;
            return !service.IsLeader || controller is { HasSynced: true }
                ? Results.Text("ok")
                : Results.Text("caches not synced", statusCode: 503);
        });
        app.MapGet("/metrics", async (HttpContext ctx) =>
        {
            ctx.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.Registry.CollectAndExportAsTextAsync(ctx.Response.Body, ctx.RequestAborted);
        });
        return new OperatorHost(app, service);
    }

    public Task StartAsync(CancellationToken ct = default) => app.StartAsync(ct);

    public Task StopAsync(CancellationToken ct = default) => app.StopAsync(ct);

    public Task RunAsync(CancellationToken ct = default) => app.RunAsync(ct);

    public async ValueTask DisposeAsync() => await app.DisposeAsync().ConfigureAwait(false);
}

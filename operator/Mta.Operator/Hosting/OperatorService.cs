using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mta.Operator.Api;
using Mta.Operator.Controller;
using Mta.Operator.Rendering;

namespace Mta.Operator.Hosting;

/// <summary>
/// The operator's background work: under leader election (or directly when it is off) a fresh controller per
/// leadership term, so a new leader starts from a full LIST rather than from another term's cache.
/// </summary>
public sealed class OperatorService(
    IKubernetes kube,
    OperatorOptions options,
    OperatorMetrics metrics,
    IQueueProbe? queueProbe,
    Func<MailServer, RenderContext, RenderResult> render,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly LeaderElectedRunner runner = new(kube, options, metrics, loggers.CreateLogger<LeaderElectedRunner>());
    private volatile MailServerController? current;

    public bool IsLeader => !options.LeaderElection || runner.IsLeader;

    /// <summary>The controller of the current leadership term (null while standing by).</summary>
    public MailServerController? Controller => current;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.LeaderElection ? runner.RunAsync(RunControllerAsync, stoppingToken) : RunControllerAsync(stoppingToken);

    private async Task RunControllerAsync(CancellationToken ct)
    {
        var capabilities = new ClusterCapabilities(kube, options, time);
        var events = new EventRecorder(kube, options.Identity, time, loggers.CreateLogger<EventRecorder>());
        var reconciler = new MailServerReconciler(kube, render, capabilities, queueProbe, events, metrics, options, time, loggers.CreateLogger<MailServerReconciler>());
        var controller = new MailServerController(kube, reconciler, options, metrics, time, loggers);
        current = controller;
        try
        {
            await controller.RunAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            current = null;
            controller.Queue.Dispose();
        }
    }
}

using System.Diagnostics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Mta.Operator.Api;

namespace Mta.Operator.Controller;

/// <summary>
/// The control loop: an informer on MailServers and one per owned kind (children mapped to their owner through the
/// controller ownerReference, so a deleted or edited child is repaired), a keyed work queue, and N workers that
/// reconcile with per-key backoff on errors and requeue-after on success. Runs until cancelled, then drains.
/// </summary>
public sealed class MailServerController
{
    private readonly MailServerReconciler reconciler;
    private readonly OperatorOptions options;
    private readonly OperatorMetrics metrics;
    private readonly ILogger logger;
    private int reconciles;

    public MailServerController(IKubernetes kube, MailServerReconciler reconciler, OperatorOptions options, OperatorMetrics metrics, TimeProvider time, ILoggerFactory loggers)
    {
        this.reconciler = reconciler;
        this.options = options;
        this.metrics = metrics;
        logger = loggers.CreateLogger<MailServerController>();
        Queue = new WorkQueue(OperatorMetrics.ControllerName, new ExponentialBackoff(options.RetryBaseDelay, options.RetryMaxDelay), time, metrics);
        MailServers = new Informer<MailServer>(MailServerSource.Create(kube, options.WatchNamespace), options.Informers, loggers.CreateLogger("Informer.MailServer"));
        MailServers.Changed += (_, ms) => Queue.Add(ObjectKey.Of(ms).ToString());
        var childSelector = $"app.kubernetes.io/managed-by={Rendering.ObjectFactory.ManagedBy}";
        foreach (var kind in ChildKinds.All.Where(k => k.Watched && k.Source is not null))
        {
            var informer = new Informer<IKubernetesObject<V1ObjectMeta>>(kind.Source!(kube, options.WatchNamespace, childSelector), options.Informers, loggers.CreateLogger("Informer." + kind.Kind));
            informer.Changed += (_, child) => EnqueueOwner(child);
            Children.Add(informer);
        }
    }

    public WorkQueue Queue { get; }
    public Informer<MailServer> MailServers { get; }
    public List<Informer<IKubernetesObject<V1ObjectMeta>>> Children { get; } = [];

    /// <summary>Every informer has listed once (the controller acts on a complete picture).</summary>
    public bool HasSynced => MailServers.HasSynced && Children.All(c => c.HasSynced);

    /// <summary>The oldest heartbeat among the watches.</summary>
    public DateTimeOffset OldestWatchActivity => Children.Select(c => c.LastActivity).Append(MailServers.LastActivity).Min();

    /// <summary>Reconciles finished (success or error), for tests and logs.</summary>
    public int Reconciles => Volatile.Read(ref reconciles);

    public async Task RunAsync(CancellationToken ct)
    {
        using var stopInformers = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var informerTasks = Children.Select(c => c.RunAsync(stopInformers.Token)).Prepend(MailServers.RunAsync(stopInformers.Token)).ToList();
        try
        {
            await Task.WhenAll(Children.Select(c => c.Synced).Prepend(MailServers.Synced)).WaitAsync(ct).ConfigureAwait(false);
            logger.LogInformation("Caches synced; starting {Workers} workers", options.Workers);
            var workers = Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => WorkerAsync()).ToList();
            try { await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
            Queue.ShutDown(); // workers finish the reconcile in hand, then stop
            await Task.WhenAll(workers).WaitAsync(options.ShutdownTimeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            Queue.ShutDown();
            await stopInformers.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(informerTasks).ConfigureAwait(false);
        }
    }

    private void EnqueueOwner(IKubernetesObject<V1ObjectMeta> child)
    {
        var owner = child.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == MailServer.EntityKind && o.ApiVersion == MailServer.GroupVersion);
        if (owner is not null) Queue.Add(new ObjectKey(child.Metadata.NamespaceProperty ?? "", owner.Name).ToString());
    }

    private async Task WorkerAsync()
    {
        // Reconciles in hand are not cancelled by shutdown: they are short and bounded by HTTP timeouts.
        while (await Queue.TakeAsync(CancellationToken.None).ConfigureAwait(false) is { } key)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                var result = await reconciler.ReconcileAsync(ObjectKey.Parse(key), CancellationToken.None).ConfigureAwait(false);
                Queue.Forget(key);
                metrics.ReconcileTotal.WithLabels(OperatorMetrics.ControllerName, result.RequeueAfter is null ? "success" : "requeue_after").Inc();
                if (result.RequeueAfter is { } after) Queue.AddAfter(key, after);
            }
            catch (Exception e)
            {
                metrics.ReconcileTotal.WithLabels(OperatorMetrics.ControllerName, "error").Inc();
                metrics.ReconcileErrors.WithLabels(OperatorMetrics.ControllerName).Inc();
                logger.LogWarning("Reconcile of MailServer {Key} failed (attempt {Attempt}): {Error}", key, Queue.Failures(key) + 1, e.Message);
                Queue.AddRateLimited(key);
            }
            finally
            {
                Interlocked.Increment(ref reconciles);
                metrics.ReconcileTime.WithLabels(OperatorMetrics.ControllerName).Observe(watch.Elapsed.TotalSeconds);
                Queue.Done(key);
            }
        }
    }
}

using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Mta.Operator.Controller;

namespace Mta.Operator.Hosting;

/// <summary>
/// Runs work only while this instance holds the Lease (KubernetesClient's LeaderElector with a LeaseLock): the work
/// starts on acquiring, is cancelled and drained on losing, and the instance keeps contending. On shutdown the Lease
/// is released (holder cleared) so a standby takes over at once instead of waiting out the lease duration.
/// </summary>
public sealed class LeaderElectedRunner(IKubernetes kube, OperatorOptions options, OperatorMetrics metrics, ILogger logger)
{
    private volatile bool leading;

    public bool IsLeader => leading;

    public async Task RunAsync(Func<CancellationToken, Task> work, CancellationToken ct)
    {
        var config = new LeaderElectionConfig(new LeaseLock(kube, options.OperatorNamespace, options.LeaseName, options.Identity))
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        };
        while (!ct.IsCancellationRequested)
        {
            using var elector = new LeaderElector(config);
            using var term = CancellationTokenSource.CreateLinkedTokenSource(ct);
            Task running = Task.CompletedTask;
            elector.OnStartedLeading += () =>
            {
                leading = true;
                metrics.LeaderStatus.WithLabels(options.LeaseName).Set(1);
                logger.LogInformation("Became leader of {Namespace}/{Lease} as {Identity}", options.OperatorNamespace, options.LeaseName, options.Identity);
                running = Task.Run(() => work(term.Token), CancellationToken.None);
            };
            elector.OnStoppedLeading += () =>
            {
                leading = false;
                metrics.LeaderStatus.WithLabels(options.LeaseName).Set(0);
                term.Cancel(); // no stale leader keeps writing
            };
            try
            {
                await elector.RunUntilLeadershipLostAsync(ct).ConfigureAwait(false);
                logger.LogWarning("Lost leadership of {Namespace}/{Lease}; stopping work and contending again", options.OperatorNamespace, options.LeaseName);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e)
            {
                // The elector gives up on errors it does not expect (e.g. the API server unreachable): contend again.
                logger.LogWarning("Leader election of {Namespace}/{Lease} failed: {Error}", options.OperatorNamespace, options.LeaseName, e.Message);
                await DelayAsync(options.RetryPeriod, ct).ConfigureAwait(false);
            }
            finally
            {
                await term.CancelAsync().ConfigureAwait(false);
                try { await running.ConfigureAwait(false); }
                catch (OperationCanceledException) { }
                catch (Exception e) { logger.LogError(e, "Leader work failed"); }
            }
        }
        await ReleaseAsync().ConfigureAwait(false);
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try { await Task.Delay(delay, ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    /// <summary>Clears the holder (keeping the times the elector requires) if we still hold the Lease.</summary>
    private async Task ReleaseAsync()
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var lease = await kube.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaseName, options.OperatorNamespace, cancellationToken: bounded.Token).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != options.Identity) return;
            var now = DateTime.UtcNow;
            lease.Spec.HolderIdentity = "";
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = now;
            lease.Spec.AcquireTime ??= now;
            await kube.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, options.LeaseName, options.OperatorNamespace, cancellationToken: bounded.Token).ConfigureAwait(false);
            logger.LogInformation("Released lease {Namespace}/{Lease}", options.OperatorNamespace, options.LeaseName);
        }
        catch (Exception e)
        {
            logger.LogWarning("Lease {Namespace}/{Lease} was not released: {Error}", options.OperatorNamespace, options.LeaseName, e.Message);
        }
    }
}

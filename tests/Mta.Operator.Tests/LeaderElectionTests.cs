using System.Net;
using Mta.Operator.Tests.FakeApi;

namespace Mta.Operator.Tests;

/// <summary>Two operator instances share one Lease: one works, the other stands by (and is still ready), and a
/// graceful stop hands over at once.</summary>
public sealed class LeaderElectionTests : IAsyncLifetime
{
    private ControllerHarness h = null!;

    public async Task InitializeAsync() => h = await ControllerHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    private string? Holder() => JsonTree.Str(h.Store.TryGet(FakeResourceCatalog.Leases, ControllerHarness.OperatorNamespace, "mta-operator-leader"), "spec", "holderIdentity");

    [Fact]
    public async Task GracefulStopHandsLeadershipToTheStandby()
    {
        var first = await h.StartOperatorAsync("op-1");
        await ControllerHarness.Eventually(() => first.Service.IsLeader, "op-1 leads");
        var second = await h.StartOperatorAsync("op-2");
        await Task.Delay(600); // several retry periods
        Assert.False(second.Service.IsLeader);
        Assert.Null(second.Service.Controller);
        Assert.Equal("op-1", Holder());

        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(second.HttpAddress, "/readyz"))).StatusCode); // standbys are ready
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(second.HttpAddress, "/healthz"))).StatusCode);

        h.CreateMailServer("m");
        await ControllerHarness.Eventually(() => h.Get(FakeResourceCatalog.Deployments, "m-smtpd") is not null, "op-1 reconciled");

        await h.StopOperatorAsync(first);
        await ControllerHarness.Eventually(() => second.Service.IsLeader, "op-2 took over", seconds: 5);
        Assert.Equal("op-2", Holder());

        h.PatchMailServerSpec("m", """{"relayhost":"[after.example.net]"}""");
        await ControllerHarness.Eventually(() => JsonTree.Str(h.Get(FakeResourceCatalog.ConfigMaps, "m-smtpd-config"), "data", "main.cf")!.Contains("[after.example.net]"), "op-2 reconciles");
        await ControllerHarness.Eventually(() => second.Service.Controller?.HasSynced == true, "op-2 synced");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(second.HttpAddress, "/readyz"))).StatusCode);
        var metrics = "";
        var deadline = DateTime.UtcNow.AddSeconds(10);
        // The reconcile counter moves when the reconcile returns, after the ConfigMap was applied: wait for both.
        while (!(metrics.Contains("mta_operator_mailserver_config_valid{", StringComparison.Ordinal)
                 && metrics.Contains("controller_runtime_reconcile_total{controller=\"mailserver\",result=\"requeue_after\"}", StringComparison.Ordinal))
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            metrics = await http.GetStringAsync(new Uri(second.HttpAddress, "/metrics"));
        }
        Assert.Contains("leader_election_master_status{name=\"mta-operator-leader\"} 1", metrics);
        Assert.Contains("mta_operator_mailserver_config_valid{namespace=\"mail\",name=\"m\"} 1", metrics);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"mailserver\",result=\"requeue_after\"}", metrics);
    }

    [Fact]
    public async Task PartitionedLeaderStepsDownAndTheStandbyTakesOverAfterTheLeaseExpires()
    {
        var partition = new PartitionHandler();
        var first = await h.StartOperatorAsync("op-1", client: h.Server.CreateClient(partition));
        await ControllerHarness.Eventually(() => first.Service.IsLeader, "op-1 leads");
        var second = await h.StartOperatorAsync("op-2");
        await Task.Delay(400);
        Assert.False(second.Service.IsLeader);

        partition.Cut = true; // op-1 can no longer reach the API server: it cannot renew, nor release
        await ControllerHarness.Eventually(() => !first.Service.IsLeader, "op-1 stepped down after its renew deadline", seconds: 10);
        await ControllerHarness.Eventually(() => second.Service.IsLeader, "op-2 took over once the lease expired", seconds: 10);
        Assert.Equal("op-2", Holder());
    }
}

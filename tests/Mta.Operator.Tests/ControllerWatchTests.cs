using k8s;
using Mta.Operator.Tests.FakeApi;

namespace Mta.Operator.Tests;

/// <summary>Watch streams that end, die or expire: the controller resumes or relists and misses nothing.</summary>
public sealed class ControllerWatchTests : IAsyncLifetime
{
    private ControllerHarness h = null!;

    public async Task InitializeAsync() => h = await ControllerHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    private bool HasChildren(string ms) => h.Get(FakeResourceCatalog.Deployments, ms + "-smtpd") is not null && h.Get(FakeResourceCatalog.ConfigMaps, ms + "-smtpd-config") is not null;

    [Fact]
    public async Task ClosedWatchResumesFromTheLastVersionWithoutRelisting()
    {
        var op = await h.StartOperatorAsync();
        h.CreateMailServer("a");
        await ControllerHarness.Eventually(() => HasChildren("a"), "children of a");
        var informer = op.Service.Controller!.MailServers;
        var relists = informer.Relists;
        var watchesBefore = h.Server.CountRequests("GET", "/mailservers", "watch=true");

        h.Store.CloseWatches(); // as at the end of timeoutSeconds
        h.CreateMailServer("b");

        await ControllerHarness.Eventually(() => HasChildren("b"), "children of b, created while the stream was closed");
        Assert.Equal(relists, informer.Relists);
        Assert.True(h.Server.CountRequests("GET", "/mailservers", "watch=true") > watchesBefore);
    }

    [Fact]
    public async Task ExpiredWatchRelistsAndMissesNothing()
    {
        var op = await h.StartOperatorAsync();
        h.CreateMailServer("a");
        h.CreateMailServer("b");
        await ControllerHarness.Eventually(() => HasChildren("a") && HasChildren("b"), "children of a and b");
        var informer = op.Service.Controller!.MailServers;
        var relists = informer.Relists;

        // The connection dies; while the operator cannot watch, things change and the history is compacted.
        h.Server.PauseWatches();
        h.Store.CloseWatches(abort: true);
        h.Store.Delete(FakeResourceCatalog.MailServers, ControllerHarness.Namespace, "a", null);
        h.CreateMailServer("c");
        h.PatchMailServerSpec("b", """{"relayhost":"[relay.example.net]"}""");
        h.Store.Compact();
        h.Server.ResumeWatches();

        await ControllerHarness.Eventually(() => HasChildren("c"), "children of c, created while disconnected");
        await ControllerHarness.Eventually(() => JsonTree.Str(h.Get(FakeResourceCatalog.ConfigMaps, "b-smtpd-config"), "data", "main.cf")!.Contains("[relay.example.net]"), "b's change applied");
        await ControllerHarness.Eventually(() => !informer.TryGet(new Controller.ObjectKey(ControllerHarness.Namespace, "a"), out _), "a's deletion seen (synthesized by the relist)");
        Assert.True(informer.Relists > relists);
        Assert.Contains(h.Server.Requests, r => r.StartsWith("GET /apis/mta.dev/v1alpha1/mailservers?", StringComparison.Ordinal) && r.Contains("watch=false"));
    }

    [Fact]
    public async Task WatchesAskForBookmarksAndBoundedTimeouts()
    {
        await h.StartOperatorAsync();
        await ControllerHarness.Eventually(() => h.Server.CountRequests("GET", "/apis/apps/v1/deployments", "watch=true") > 0, "a deployment watch");
        var watch = h.Server.Requests.First(r => r.Contains("/apis/apps/v1/deployments") && r.Contains("watch=true"));
        Assert.Contains("allowWatchBookmarks=true", watch);
        Assert.Matches(@"timeoutSeconds=([5-9]|10)\b", watch);
        Assert.Matches(@"resourceVersion=\d+", watch);
        Assert.Contains("labelSelector=app.kubernetes.io%2Fmanaged-by%3Dmta-operator", watch);
    }
}

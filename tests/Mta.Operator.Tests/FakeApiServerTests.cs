using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Mta.Operator.Tests.FakeApi;

namespace Mta.Operator.Tests;

/// <summary>The fake API server keeps the apiserver's contracts the controller relies on, seen through the real client.</summary>
public sealed class FakeApiServerTests : IAsyncLifetime
{
    private FakeApiServer server = null!;
    private Kubernetes kube = null!;

    public async Task InitializeAsync()
    {
        server = await FakeApiServer.StartAsync();
        kube = server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        kube.Dispose();
        await server.DisposeAsync();
    }

    private static V1ConfigMap ConfigMap(string name, string value) => new()
    {
        ApiVersion = "v1", Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "mail", Labels = new Dictionary<string, string> { ["app"] = "x" } },
        Data = new Dictionary<string, string> { ["k"] = value },
    };

    [Fact]
    public async Task CreateGetListAssignIdentityAndVersions()
    {
        var created = await kube.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", "1"), "mail");
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal(1, created.Metadata.Generation);
        var read = await kube.CoreV1.ReadNamespacedConfigMapAsync("a", "mail");
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        var list = await kube.CoreV1.ListNamespacedConfigMapAsync("mail", labelSelector: "app=x");
        Assert.Single(list.Items);
        Assert.Equal(server.Store.CurrentResourceVersion.ToString(), list.Metadata.ResourceVersion);
        Assert.Empty((await kube.CoreV1.ListNamespacedConfigMapAsync("mail", labelSelector: "app=y")).Items);
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => kube.CoreV1.ReadNamespacedConfigMapAsync("nope", "mail"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    [Fact]
    public async Task ReplaceWithStaleResourceVersionIsAConflict()
    {
        var first = await kube.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", "1"), "mail");
        var stale = await kube.CoreV1.ReadNamespacedConfigMapAsync("a", "mail");
        first.Data["k"] = "2";
        var second = await kube.CoreV1.ReplaceNamespacedConfigMapAsync(first, "a", "mail");
        Assert.NotEqual(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
        stale.Data["k"] = "3";
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => kube.CoreV1.ReplaceNamespacedConfigMapAsync(stale, "a", "mail"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Equal("2", (await kube.CoreV1.ReadNamespacedConfigMapAsync("a", "mail")).Data["k"]);
    }

    [Fact]
    public async Task StatusSubresourceIsSeparateAndGenerationFollowsSpecOnly()
    {
        var ms = JsonNode.Parse("""{"apiVersion":"mta.dev/v1alpha1","kind":"MailServer","metadata":{"name":"m"},"spec":{"domain":"a.org"},"status":{"queued":5}}""")!;
        await kube.CustomObjects.CreateNamespacedCustomObjectAsync(ms, "mta.dev", "v1alpha1", "mail", "mailservers");
        var stored = server.Store.Get(FakeResourceCatalog.MailServers, "mail", "m");
        Assert.Null(stored["status"]); // status is not written through the main resource
        Assert.Equal("1", stored["metadata"]!["generation"]!.ToJsonString());

        var withStatus = JsonTree.Clone(stored);
        withStatus["status"] = new JsonObject { ["queued"] = 7 };
        withStatus["spec"]!["domain"] = "ignored.org";
        await kube.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(withStatus, "mta.dev", "v1alpha1", "mail", "mailservers", "m");
        stored = server.Store.Get(FakeResourceCatalog.MailServers, "mail", "m");
        Assert.Equal(7, stored["status"]!["queued"]!.GetValue<int>());
        Assert.Equal("a.org", JsonTree.Str(stored, "spec", "domain")); // /status changes only status
        Assert.Equal("1", stored["metadata"]!["generation"]!.ToJsonString());

        var labelOnly = JsonNode.Parse("""{"metadata":{"labels":{"x":"y"}}}""")!;
        await kube.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(labelOnly.ToJsonString(), V1Patch.PatchType.MergePatch), "mta.dev", "v1alpha1", "mail", "mailservers", "m");
        Assert.Equal("1", server.Store.Get(FakeResourceCatalog.MailServers, "mail", "m")["metadata"]!["generation"]!.ToJsonString());
        var specChange = JsonNode.Parse("""{"spec":{"domain":"b.org"},"status":{"queued":1}}""")!;
        await kube.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(specChange.ToJsonString(), V1Patch.PatchType.MergePatch), "mta.dev", "v1alpha1", "mail", "mailservers", "m");
        stored = server.Store.Get(FakeResourceCatalog.MailServers, "mail", "m");
        Assert.Equal("2", stored["metadata"]!["generation"]!.ToJsonString());
        Assert.Equal(7, stored["status"]!["queued"]!.GetValue<int>()); // the main resource ignores status
    }

    [Fact]
    public async Task ApplyTracksOwnershipAndConflictsUnlessForced()
    {
        var config = ConfigMap("a", "operator").ToJson();
        await kube.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(config, V1Patch.PatchType.ApplyPatch), "a", "mail", fieldManager: "mta-operator", force: true);
        var edited = await kube.CoreV1.ReadNamespacedConfigMapAsync("a", "mail");
        edited.Data["k"] = "human";
        await kube.CoreV1.ReplaceNamespacedConfigMapAsync(edited, "a", "mail", fieldManager: "kubectl-edit");
        var afterEdit = server.Store.Get(FakeResourceCatalog.ConfigMaps, "mail", "a");
        Assert.Contains("kubectl-edit", afterEdit["metadata"]!["managedFields"]!.ToJsonString());

        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() =>
            kube.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(config, V1Patch.PatchType.ApplyPatch), "a", "mail", fieldManager: "mta-operator", force: false));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Contains(".data.k", conflict.Response.Content);

        var forced = await kube.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(config, V1Patch.PatchType.ApplyPatch), "a", "mail", fieldManager: "mta-operator", force: true);
        Assert.Equal("operator", forced.Data["k"]);
        var again = await kube.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(config, V1Patch.PatchType.ApplyPatch), "a", "mail", fieldManager: "mta-operator", force: false);
        Assert.Equal(forced.Metadata.ResourceVersion, again.Metadata.ResourceVersion); // a no-op apply is not a new version

        // A field the manager stops applying is removed.
        var smaller = ConfigMap("a", "operator");
        smaller.Metadata.Labels = null;
        await kube.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(smaller.ToJson(), V1Patch.PatchType.ApplyPatch), "a", "mail", fieldManager: "mta-operator", force: true);
        Assert.Null((await kube.CoreV1.ReadNamespacedConfigMapAsync("a", "mail")).Metadata.Labels);
    }

    [Fact]
    public async Task WatchResumesFromAVersionAndAnswersGoneAfterCompaction()
    {
        await kube.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", "1"), "mail");
        var from = (await kube.CoreV1.ListNamespacedConfigMapAsync("mail")).Metadata.ResourceVersion;
        await kube.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b", "1"), "mail");
        await kube.CoreV1.DeleteNamespacedConfigMapAsync("a", "mail");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var seen = new List<(WatchEventType, string)>();
        await foreach (var (type, cm) in kube.CoreV1.WatchListNamespacedConfigMapAsync("mail", resourceVersion: from, timeoutSeconds: 1, cancellationToken: cts.Token))
            seen.Add((type, cm.Metadata.Name));
        Assert.Equal([(WatchEventType.Added, "b"), (WatchEventType.Deleted, "a")], seen);

        server.Store.Compact();
        var errors = new List<Exception>();
        await foreach (var _ in kube.CoreV1.WatchListNamespacedConfigMapAsync("mail", resourceVersion: from, timeoutSeconds: 1, onError: errors.Add, cancellationToken: cts.Token)) { }
        var gone = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal(410, gone.Status.Code);
    }

    [Fact]
    public async Task WatchSendsBookmarksAndEndsWhenClosed()
    {
        var rv = (await kube.CoreV1.ListNamespacedConfigMapAsync("mail")).Metadata.ResourceVersion;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var types = new List<WatchEventType>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, _) in kube.CoreV1.WatchListNamespacedConfigMapAsync("mail", allowWatchBookmarks: true, resourceVersion: rv, cancellationToken: cts.Token))
                types.Add(type);
        });
        while (server.Store.OpenWatchCount == 0) await Task.Delay(10, cts.Token);
        await kube.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", "1"), "mail");
        server.Store.SendBookmarks();
        server.Store.CloseWatches();
        await watching.WaitAsync(cts.Token);
        Assert.Equal([WatchEventType.Added, WatchEventType.Bookmark], types);
    }

    [Fact]
    public async Task DeletingAnOwnerCollectsItsDependents()
    {
        var owner = await kube.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner", "1"), "mail");
        var child = ConfigMap("child", "1");
        child.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, Controller = true }];
        await kube.CoreV1.CreateNamespacedConfigMapAsync(child, "mail");
        await kube.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("bystander", "1"), "mail");
        await kube.CoreV1.DeleteNamespacedConfigMapAsync("owner", "mail");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (server.Store.TryGet(FakeResourceCatalog.ConfigMaps, "mail", "child") is not null && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Null(server.Store.TryGet(FakeResourceCatalog.ConfigMaps, "mail", "child"));
        Assert.NotNull(server.Store.TryGet(FakeResourceCatalog.ConfigMaps, "mail", "bystander"));
    }

    [Fact]
    public async Task DiscoveryListsServedGroups()
    {
        var before = await kube.Apis.GetAPIVersionsAsync();
        Assert.Contains(before.Groups, g => g.Name == "mta.dev");
        Assert.DoesNotContain(before.Groups, g => g.Name == "monitoring.coreos.com");
        server.Catalog.Serve(FakeResourceCatalog.ServiceMonitors);
        var after = await kube.Apis.GetAPIVersionsAsync();
        Assert.Contains(after.Groups, g => g.Name == "monitoring.coreos.com");
        var resources = await kube.AppsV1.GetAPIResourcesAsync();
        Assert.Contains(resources.Resources, r => r.Name == "deployments/status");
    }
}

internal static class JsonTestExtensions
{
    public static string ToJson(this object o) => KubernetesJson.Serialize(o);

    public static JsonElement ToElement(this object o) => JsonDocument.Parse(KubernetesJson.Serialize(o)).RootElement;
}

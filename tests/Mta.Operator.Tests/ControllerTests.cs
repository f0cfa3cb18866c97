using System.Text.Json.Nodes;
using k8s;
using Mta.Operator.Api;
using Mta.Operator.Tests.FakeApi;

namespace Mta.Operator.Tests;

/// <summary>The operator against the fake API server over real HTTP, with the real renderer.</summary>
public sealed class ControllerTests : IAsyncLifetime
{
    private ControllerHarness h = null!;

    public async Task InitializeAsync() => h = await ControllerHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    private static readonly (FakeResource Resource, string Name)[] CoreChildren =
    [
        (FakeResourceCatalog.ConfigMaps, "m-smtpd-config"), (FakeResourceCatalog.ConfigMaps, "m-qmgr-config"), (FakeResourceCatalog.ConfigMaps, "m-delivery-config"),
        (FakeResourceCatalog.Deployments, "m-smtpd"), (FakeResourceCatalog.Deployments, "m-qmgr"), (FakeResourceCatalog.Deployments, "m-delivery"),
        (FakeResourceCatalog.StatefulSets, "m-redis"), (FakeResourceCatalog.Services, "m-redis"),
    ];

    private bool AllCoreChildrenExist() => CoreChildren.All(c => h.Get(c.Resource, c.Name) is not null);

    private static string? ConfigHash(JsonObject? deployment) =>
        JsonTree.Str(deployment, "spec", "template", "metadata", "annotations", "mta.dev/config-hash");

    [Fact]
    public async Task CreatedMailServerGetsChildrenWithOwnerReferences()
    {
        await h.StartOperatorAsync();
        var ms = h.CreateMailServer("m");
        var uid = JsonTree.Str(ms, "metadata", "uid");
        await ControllerHarness.Eventually(AllCoreChildrenExist, "ConfigMaps, Deployments, Redis StatefulSet and Service created");
        await ControllerHarness.Eventually(() => ControllerHarness.ConditionStatus(h.MailServer("m"), ConditionTypes.ConfigValid) == "True", "status written");

        var children = h.Store.List(FakeResourceCatalog.ConfigMaps, ControllerHarness.Namespace, LabelSelector.Everything).Items
            .Concat(h.Store.List(FakeResourceCatalog.Deployments, ControllerHarness.Namespace, LabelSelector.Everything).Items)
            .Concat(h.Store.List(FakeResourceCatalog.Services, ControllerHarness.Namespace, LabelSelector.Everything).Items)
            .Concat(h.Store.List(FakeResourceCatalog.NetworkPolicies, ControllerHarness.Namespace, LabelSelector.Everything).Items)
            .Concat(h.Store.List(FakeResourceCatalog.StatefulSets, ControllerHarness.Namespace, LabelSelector.Everything).Items).ToList();
        Assert.True(children.Count >= 10, $"only {children.Count} children");
        foreach (var child in children)
        {
            var owner = Assert.Single(JsonTree.At(child, ["metadata", "ownerReferences"])!.AsArray())!;
            Assert.Equal(uid, JsonTree.Str(owner, "uid"));
            Assert.Equal("true", owner["controller"]!.ToJsonString());
            Assert.Equal("mta-operator", JsonTree.Str(child, "metadata", "labels", "app.kubernetes.io/managed-by"));
            var managers = JsonTree.At(child, ["metadata", "managedFields"])!.AsArray().Select(m => (JsonTree.Str(m, "manager"), JsonTree.Str(m, "operation")));
            Assert.Contains(("mta-operator", "Apply"), managers);
        }
        Assert.Contains("main.cf", JsonTree.At(h.Get(FakeResourceCatalog.ConfigMaps, "m-smtpd-config"), ["data"])!.AsObject().Select(kv => kv.Key));
        Assert.NotNull(ConfigHash(h.Get(FakeResourceCatalog.Deployments, "m-smtpd")));
        Assert.Equal(1, h.Server.CountRequests("PUT", "/mailservers/m/status") > 0 ? 1 : 0);
    }

    [Fact]
    public async Task SpecChangeRewritesConfigMapAndRollsPodTemplate()
    {
        await h.StartOperatorAsync();
        h.CreateMailServer("m");
        await ControllerHarness.Eventually(AllCoreChildrenExist, "children created");
        var oldMainCf = JsonTree.Str(h.Get(FakeResourceCatalog.ConfigMaps, "m-smtpd-config"), "data", "main.cf");
        var oldHash = ConfigHash(h.Get(FakeResourceCatalog.Deployments, "m-smtpd"));
        await ControllerHarness.Eventually(() => JsonTree.Str(h.MailServer("m"), "status", "configHash") is not null, "status.configHash reported");
        var statusHash = JsonTree.Str(h.MailServer("m"), "status", "configHash");

        h.PatchMailServerSpec("m", """{"relayhost":"[smtp.example.net]:587"}""");

        await ControllerHarness.Eventually(() => JsonTree.Str(h.Get(FakeResourceCatalog.ConfigMaps, "m-smtpd-config"), "data", "main.cf")!.Contains("[smtp.example.net]:587"), "main.cf carries the new relayhost");
        await ControllerHarness.Eventually(() => ConfigHash(h.Get(FakeResourceCatalog.Deployments, "m-smtpd")) != oldHash, "pod template hash changed");
        Assert.NotEqual(oldMainCf, JsonTree.Str(h.Get(FakeResourceCatalog.ConfigMaps, "m-smtpd-config"), "data", "main.cf"));
        await ControllerHarness.Eventually(() => JsonTree.Long(JsonTree.At(h.MailServer("m"), ["status", "observedGeneration"])) == 2, "observedGeneration 2");
        Assert.NotEqual(statusHash, JsonTree.Str(h.MailServer("m"), "status", "configHash"));
    }

    [Fact]
    public async Task InvalidMainCfOverrideKeepsTheRunningConfig()
    {
        await h.StartOperatorAsync();
        h.CreateMailServer("m");
        await ControllerHarness.Eventually(AllCoreChildrenExist, "children created");
        await ControllerHarness.Eventually(() => ControllerHarness.ConditionStatus(h.MailServer("m"), ConditionTypes.ConfigValid) == "True", "ConfigValid=True");
        var configMap = h.Get(FakeResourceCatalog.ConfigMaps, "m-smtpd-config")!;
        var deployment = h.Get(FakeResourceCatalog.Deployments, "m-smtpd")!;
        var goodHash = JsonTree.Str(h.MailServer("m"), "status", "configHash");

        h.PatchMailServerSpec("m", """{"mainCf":{"parameters":{"smtpd_recipient_limit":"lots"}}}""");

        await ControllerHarness.Eventually(() => ControllerHarness.ConditionStatus(h.MailServer("m"), ConditionTypes.ConfigValid) == "False", "ConfigValid=False");
        var ms = h.MailServer("m");
        var message = JsonTree.Str(ControllerHarness.Condition(ms, ConditionTypes.ConfigValid), "message")!;
        Assert.Matches(@"^main\.cf, line \d+: .*smtpd_recipient_limit", message);
        Assert.Equal("InvalidConfig", JsonTree.Str(ControllerHarness.Condition(ms, ConditionTypes.ConfigValid), "reason"));
        Assert.Equal("False", ControllerHarness.ConditionStatus(ms, ConditionTypes.Ready));
        Assert.Equal("True", ControllerHarness.ConditionStatus(ms, ConditionTypes.Degraded));
        Assert.Equal(goodHash, JsonTree.Str(ms, "status", "configHash"));
        Assert.Equal(2, JsonTree.Long(JsonTree.At(ms, ["status", "observedGeneration"])));
        // Nothing was applied: same versions of the running ConfigMap and Deployment.
        Assert.Equal(JsonTree.Str(configMap, "metadata", "resourceVersion"), JsonTree.Str(h.Get(FakeResourceCatalog.ConfigMaps, "m-smtpd-config"), "metadata", "resourceVersion"));
        Assert.Equal(JsonTree.Str(deployment, "metadata", "resourceVersion"), JsonTree.Str(h.Get(FakeResourceCatalog.Deployments, "m-smtpd"), "metadata", "resourceVersion"));
        await ControllerHarness.Eventually(() => h.Store.List(FakeResourceCatalog.Events, ControllerHarness.Namespace, LabelSelector.Everything).Items
            .Any(e => JsonTree.Str(e, "reason") == "InvalidConfig" && JsonTree.Str(e, "type") == "Warning" && JsonTree.Str(e, "regarding", "name") == "m"), "Warning event InvalidConfig");

        // Fixing it applies again and says so.
        h.PatchMailServerSpec("m", """{"mainCf":{"parameters":{"smtpd_recipient_limit":"500"}}}""");
        await ControllerHarness.Eventually(() => JsonTree.Str(h.Get(FakeResourceCatalog.ConfigMaps, "m-smtpd-config"), "data", "main.cf")!.Contains("smtpd_recipient_limit = 500"), "valid override applied");
        await ControllerHarness.Eventually(() => ControllerHarness.ConditionStatus(h.MailServer("m"), ConditionTypes.ConfigValid) == "True", "ConfigValid=True again");
    }

    [Fact]
    public async Task DeletedOrEditedChildIsRepaired()
    {
        await h.StartOperatorAsync();
        h.CreateMailServer("m");
        await ControllerHarness.Eventually(AllCoreChildrenExist, "children created");
        var oldUid = JsonTree.Str(h.Get(FakeResourceCatalog.Deployments, "m-qmgr"), "metadata", "uid");

        await h.Kube.AppsV1.DeleteNamespacedDeploymentAsync("m-qmgr", ControllerHarness.Namespace);
        await ControllerHarness.Eventually(() => h.Get(FakeResourceCatalog.Deployments, "m-qmgr") is { } d && JsonTree.Str(d, "metadata", "uid") != oldUid, "qmgr Deployment recreated");

        var cm = await h.Kube.CoreV1.ReadNamespacedConfigMapAsync("m-delivery-config", ControllerHarness.Namespace);
        var good = cm.Data["main.cf"];
        cm.Data["main.cf"] = "broken by hand";
        await h.Kube.CoreV1.ReplaceNamespacedConfigMapAsync(cm, "m-delivery-config", ControllerHarness.Namespace, fieldManager: "kubectl-edit");
        await ControllerHarness.Eventually(() => JsonTree.Str(h.Get(FakeResourceCatalog.ConfigMaps, "m-delivery-config"), "data", "main.cf") == good, "hand edit reverted");
    }

    [Fact]
    public async Task StatusReportsConditionsAndIsWrittenOnlyOnChange()
    {
        var op = await h.StartOperatorAsync();
        h.CreateMailServer("m");
        await ControllerHarness.Eventually(AllCoreChildrenExist, "children created");
        await ControllerHarness.Eventually(() => ControllerHarness.ConditionStatus(h.MailServer("m"), ConditionTypes.Progressing) == "True", "Progressing while not rolled out");
        var ms = h.MailServer("m");
        Assert.Equal("False", ControllerHarness.ConditionStatus(ms, ConditionTypes.Ready));
        Assert.Equal("Unknown", ControllerHarness.ConditionStatus(ms, ConditionTypes.RedisReady));
        Assert.Equal(1, JsonTree.Long(JsonTree.At(ms, ["status", "observedGeneration"])));
        var validSince = JsonTree.Str(ControllerHarness.Condition(ms, ConditionTypes.ConfigValid), "lastTransitionTime");

        foreach (var tier in new[] { "smtpd", "qmgr", "delivery" }) h.MarkDeploymentAvailable("m-" + tier);
        await ControllerHarness.Eventually(() => ControllerHarness.ConditionStatus(h.MailServer("m"), ConditionTypes.Ready) == "True", "Ready once every tier is available");
        ms = h.MailServer("m");
        Assert.Equal("False", ControllerHarness.ConditionStatus(ms, ConditionTypes.Progressing));
        Assert.Equal("False", ControllerHarness.ConditionStatus(ms, ConditionTypes.Degraded));
        Assert.Equal(validSince, JsonTree.Str(ControllerHarness.Condition(ms, ConditionTypes.ConfigValid), "lastTransitionTime"));
        Assert.Equal(1, JsonTree.Long(JsonTree.At(ms, ["status", "smtpd", "readyReplicas"])));
        await ControllerHarness.Eventually(() => h.Store.List(FakeResourceCatalog.Events, ControllerHarness.Namespace, LabelSelector.Everything).Items
            .Any(e => JsonTree.Str(e, "reason") == "Ready" && JsonTree.Str(e, "type") == "Normal"), "Normal event Ready");

        // More reconciles (a child label edit triggers one) without a change of state write no status.
        var version = JsonTree.Str(h.MailServer("m"), "metadata", "resourceVersion");
        var before = op.Service.Controller!.Reconciles;
        h.Store.MergePatch(FakeResourceCatalog.Services, ControllerHarness.Namespace, "m-redis", JsonNode.Parse("""{"metadata":{"labels":{"touched":"yes"}}}""")!.AsObject(), "someone", "");
        await ControllerHarness.Eventually(() => op.Service.Controller!.Reconciles > before && op.Service.Controller.Queue.Depth == 0, "a reconcile ran");
        await Task.Delay(200);
        Assert.Equal(version, JsonTree.Str(h.MailServer("m"), "metadata", "resourceVersion"));
    }

    [Fact]
    public async Task StatusWriteConflictIsRetried()
    {
        var op = await h.StartOperatorAsync();
        h.Server.FailNext(r => r.Method == "PUT" && r.Path.Value!.EndsWith("/mailservers/m/status", StringComparison.Ordinal),
            FakeApiException.Conflict(FakeResourceCatalog.MailServers, "m"));
        h.CreateMailServer("m");
        await ControllerHarness.Eventually(() => ControllerHarness.ConditionStatus(h.MailServer("m"), ConditionTypes.ConfigValid) == "True", "status written after the conflict");
        Assert.True(h.Server.CountRequests("PUT", "/mailservers/m/status") >= 2);
        var metrics = await new HttpClient().GetStringAsync(new Uri(op.HttpAddress, "/metrics"));
        Assert.Matches(@"controller_runtime_reconcile_errors_total\{controller=""mailserver""\} [1-9]", metrics);
        Assert.Matches(@"workqueue_retries_total\{name=""mailserver""\} [1-9]", metrics);
    }

    [Fact]
    public async Task AutoscalerOwnsReplicasAndTheOperatorLeavesThemAlone()
    {
        await h.StartOperatorAsync();
        h.CreateMailServer("m", """{"domain":"example.org","redis":{"managed":{"enabled":true}},"smtpd":{"autoscaling":{"enabled":true,"minReplicas":2,"maxReplicas":6}},"qmgr":{"replicas":1}}""");
        await ControllerHarness.Eventually(() => h.Get(FakeResourceCatalog.HorizontalPodAutoscalers, "m-smtpd") is not null && AllCoreChildrenExist(), "HPA and Deployments created");
        Assert.Null(JsonTree.At(h.Get(FakeResourceCatalog.Deployments, "m-smtpd"), ["spec", "replicas"])); // not applied
        Assert.Equal(1, JsonTree.Long(JsonTree.At(h.Get(FakeResourceCatalog.Deployments, "m-qmgr"), ["spec", "replicas"])));

        // The HPA controller scales smtpd; a spec change then re-applies the Deployment without taking replicas back.
        h.Store.MergePatch(FakeResourceCatalog.Deployments, ControllerHarness.Namespace, "m-smtpd", JsonNode.Parse("""{"spec":{"replicas":5}}""")!.AsObject(), "horizontal-pod-autoscaler", "");
        var hash = ConfigHash(h.Get(FakeResourceCatalog.Deployments, "m-smtpd"));
        h.PatchMailServerSpec("m", """{"relayhost":"[hpa.example.net]"}""");
        await ControllerHarness.Eventually(() => ConfigHash(h.Get(FakeResourceCatalog.Deployments, "m-smtpd")) != hash, "smtpd re-applied");
        var smtpd = h.Get(FakeResourceCatalog.Deployments, "m-smtpd")!;
        Assert.Equal(5, JsonTree.Long(JsonTree.At(smtpd, ["spec", "replicas"])));
        var owners = ManagedFields.Read(smtpd).ManagersOf(new FieldPath(["spec", "replicas"])).ToList();
        Assert.Equal(["horizontal-pod-autoscaler"], owners);

        // Turning autoscaling off prunes the HPA.
        h.PatchMailServerSpec("m", """{"smtpd":{"autoscaling":{"enabled":false},"replicas":3}}""");
        await ControllerHarness.Eventually(() => h.Get(FakeResourceCatalog.HorizontalPodAutoscalers, "m-smtpd") is null, "HPA pruned");
        await ControllerHarness.Eventually(() => JsonTree.Long(JsonTree.At(h.Get(FakeResourceCatalog.Deployments, "m-smtpd"), ["spec", "replicas"])) == 3, "operator owns replicas again");
    }
}

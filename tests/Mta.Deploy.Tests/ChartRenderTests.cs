using k8s.Models;
using Mta.Operator.Api;

namespace Mta.Deploy.Tests;

/// <summary>`helm lint` and `helm template` of charts/mta-operator, every rendered object parsed strictly.</summary>
public sealed class ChartRenderTests
{
    [Fact]
    public void LintPassesStrictWithDefaultAndFullValues()
    {
        var helm = RepoPaths.RequireHelm();
        ToolRunner.RunOk(helm, "lint", "--strict", RepoPaths.Chart);
        ToolRunner.RunOk(helm, "lint", "--strict", RepoPaths.Chart, "-f", RepoPaths.Combine("tests", "chart", "full-values.yaml"));
    }

    [Fact]
    public void DefaultRenderParsesStrictlyIntoTheOperatorItsRbacAndTheCrd()
    {
        var objects = Manifests.LoadStrict(Manifests.Template());
        var kinds = objects.Select(o => o.GetType().Name).Order().ToList();
        Assert.Equal(
            ["V1ClusterRole", "V1ClusterRole", "V1ClusterRole", "V1ClusterRoleBinding", "V1CustomResourceDefinition",
             "V1Deployment", "V1Pod", "V1Role", "V1RoleBinding", "V1Service", "V1ServiceAccount"],
            kinds);
    }

    [Fact]
    public void FullRenderParsesStrictlyWithEveryOptionalObject()
    {
        var objects = Manifests.LoadStrict(Manifests.TemplateFull());
        Assert.Single(objects.OfType<ServiceMonitor>());
        Assert.Single(objects.OfType<PrometheusRule>());
        Assert.Single(objects.OfType<V1PodDisruptionBudget>());
        Assert.Single(objects.OfType<MailServer>());
        Assert.Single(objects.OfType<V1CustomResourceDefinition>());
        Assert.Equal(2, objects.OfType<V1Deployment>().Single().Spec.Replicas);
    }

    [Fact]
    public void OperatorPodMeetsTheRestrictedPodSecurityStandard()
    {
        foreach (var yaml in new[] { Manifests.Template(), Manifests.TemplateFull() })
        {
            var pod = Manifests.OfType<V1Deployment>(yaml).Single().Spec.Template.Spec;
            Assert.True(pod.SecurityContext.RunAsNonRoot);
            Assert.Equal(65532, pod.SecurityContext.RunAsUser);
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
            var container = Assert.Single(pod.Containers);
            Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
            Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
            Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
            Assert.Null(container.SecurityContext.Capabilities.Add);
            Assert.Equal("/tmp", Assert.Single(container.VolumeMounts).MountPath);
            Assert.NotNull(Assert.Single(pod.Volumes).EmptyDir);
            Assert.NotNull(container.Resources.Limits["memory"]);
        }
    }

    [Fact]
    public void OperatorProbesHealthAndReadinessAndExposesMetrics()
    {
        var yaml = Manifests.Template();
        var container = Manifests.OfType<V1Deployment>(yaml).Single().Spec.Template.Spec.Containers.Single();
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("health", container.LivenessProbe.HttpGet.Port.Value);
        var ports = container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
        Assert.Equal(8081, ports["health"]);
        Assert.Equal(8080, ports["metrics"]);
        var service = Manifests.OfType<V1Service>(yaml).Single();
        Assert.Equal(["health", "metrics"], service.Spec.Ports.Select(p => p.Name));
    }

    [Fact]
    public void HelmTestPodChecksReadyzThroughTheService()
    {
        var pod = Manifests.OfType<V1Pod>(Manifests.Template()).Single();
        Assert.Equal("test", pod.Metadata.Annotations["helm.sh/hook"]);
        var script = string.Join("\n", pod.Spec.Containers.Single().Command);
        Assert.Contains("http://mta-operator.mta-system.svc:8081/readyz", script);
        Assert.True(pod.Spec.Containers.Single().SecurityContext.ReadOnlyRootFilesystem);
    }

    [Fact]
    public void MonitoringObjectsAreRenderedOnlyWhenTheirApisAreServed()
    {
        var objects = Manifests.LoadStrict(Manifests.TemplateFull(monitoringApis: false));
        Assert.Empty(objects.OfType<ServiceMonitor>());
        Assert.Empty(objects.OfType<PrometheusRule>());
        Assert.Empty(Manifests.OfType<ServiceMonitor>(Manifests.Template(Manifests.MonitoringApis)));
    }

    [Fact]
    public void PrometheusRuleCarriesTheShippedAlertsAndTheSelectorLabels()
    {
        var yaml = Manifests.TemplateFull();
        var rule = Manifests.OfType<PrometheusRule>(yaml).Single();
        Assert.Equal("kube-prometheus-stack", rule.Metadata.Labels["release"]);

        var rendered = YamlJson.LoadAll(yaml).Single(d => (string?)d!["kind"] == "PrometheusRule")!["spec"];
        var shipped = YamlJson.Load(RepoPaths.Read("deploy", "prometheus", "mta-rules.yaml"));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(shipped, rendered), "the PrometheusRule groups differ from deploy/prometheus/mta-rules.yaml");
    }

    [Fact]
    public void ServiceMonitorScrapesTheMetricsPortKeepingTheExportedNamespace()
    {
        var monitor = Manifests.OfType<ServiceMonitor>(Manifests.TemplateFull()).Single();
        var endpoint = Assert.Single(monitor.Spec.Endpoints);
        Assert.Equal("metrics", endpoint.Port);
        Assert.True(endpoint.HonorLabels);
        Assert.Equal("kube-prometheus-stack", monitor.Metadata.Labels["release"]);
    }

    [Fact]
    public void CrdIsTheCheckedInOneKeptOnUninstallByDefault()
    {
        var yaml = Manifests.Template();
        var crd = Manifests.OfType<V1CustomResourceDefinition>(yaml).Single();
        Assert.Equal("keep", crd.Metadata.Annotations["helm.sh/resource-policy"]);

        var rendered = YamlJson.LoadAll(yaml).Single(d => (string?)d!["kind"] == "CustomResourceDefinition")!;
        var source = YamlJson.Load(RepoPaths.Read("crds", "mailservers.mta.dev.yaml"))!;
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(source["spec"], rendered["spec"]), "the chart's CRD spec differs from crds/");
        Assert.Equal((string?)source["metadata"]!["name"], crd.Metadata.Name);
    }

    [Fact]
    public void CrdValuesControlInstallAndKeep()
    {
        var notKept = Manifests.OfType<V1CustomResourceDefinition>(Manifests.Template("--set", "crds.keep=false")).Single();
        Assert.False(notKept.Metadata.Annotations?.ContainsKey("helm.sh/resource-policy") ?? false);
        Assert.Empty(Manifests.OfType<V1CustomResourceDefinition>(Manifests.Template("--set", "crds.enabled=false")));
    }

    [Fact]
    public void NamespacedRbacGrantsARolePerWatchedNamespaceAndNoClusterWideManagerRole()
    {
        var objects = Manifests.LoadStrict(Manifests.TemplateFull());
        var managerRoles = objects.OfType<V1Role>().Where(r => r.Metadata.Name.EndsWith("-manager", StringComparison.Ordinal)).ToList();
        Assert.Equal(["mail", "mail-staging"], managerRoles.Select(r => r.Metadata.NamespaceProperty).Order());
        Assert.DoesNotContain(objects.OfType<V1ClusterRole>(), r => r.Metadata.Name.EndsWith("-manager", StringComparison.Ordinal));
        Assert.Equal("mail,mail-staging", WatchNamespacesEnv(objects));
    }

    [Fact]
    public void ValuesSchemaRejectsUnknownKeys()
    {
        var result = ToolRunner.Run(RepoPaths.RequireHelm(), ["template", "x", RepoPaths.Chart, "--set", "metrics.serviceMonitor.enabeld=true"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("enabeld", result.StdErr);
    }

    [Fact]
    public void MoreThanOneReplicaWithoutLeaderElectionIsRefused()
    {
        var result = ToolRunner.Run(RepoPaths.RequireHelm(), ["template", "x", RepoPaths.Chart, "--set", "replicaCount=2", "--set", "leaderElection.enabled=false"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("leaderElection", result.StdErr);
    }

    private static string WatchNamespacesEnv(IEnumerable<object> objects) =>
        objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single()
            .Env.Single(e => e.Name == "MTA_OPERATOR_WATCH_NAMESPACES").Value;
}

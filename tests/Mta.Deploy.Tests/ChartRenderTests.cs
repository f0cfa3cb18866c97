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
        var example = Assert.Single(objects.OfType<MailServer>());
        Assert.Equal("post-install", example.Metadata.Annotations["helm.sh/hook"]); // never recreated on upgrade
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
        Assert.Equal("http", container.LivenessProbe.HttpGet.Port.Value);
        Assert.Equal("http", container.ReadinessProbe.HttpGet.Port.Value);
        // One listener serves all three endpoints; its default is the operator's own default.
        var port = Assert.Single(container.Ports);
        Assert.Equal(("http", new Mta.Operator.Controller.OperatorOptions().HttpPort), (port.Name, port.ContainerPort));
        Assert.Equal(port.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), container.Env.Single(e => e.Name == "HTTP_PORT").Value);
        var service = Manifests.OfType<V1Service>(yaml).Single();
        Assert.Equal("http", Assert.Single(service.Spec.Ports).Name);
    }

    [Fact]
    public void HelmTestPodChecksReadyzThroughTheService()
    {
        var pod = Manifests.OfType<V1Pod>(Manifests.Template()).Single();
        Assert.Equal("test", pod.Metadata.Annotations["helm.sh/hook"]);
        var script = string.Join("\n", pod.Spec.Containers.Single().Command);
        Assert.Contains("http://mta-operator.mta-system.svc:8080/readyz", script);
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
        Assert.Equal("http", endpoint.Port);
        Assert.Equal("/metrics", endpoint.Path);
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
    public void NamespacedRbacGrantsARoleInTheWatchedNamespaceAndNoClusterWideManagerRole()
    {
        var objects = Manifests.LoadStrict(Manifests.TemplateFull());
        var managerRole = objects.OfType<V1Role>().Single(r => r.Metadata.Name.EndsWith("-manager", StringComparison.Ordinal));
        Assert.Equal("mail", managerRole.Metadata.NamespaceProperty);
        Assert.DoesNotContain(objects.OfType<V1ClusterRole>(), r => r.Metadata.Name.EndsWith("-manager", StringComparison.Ordinal));
        Assert.Equal("mail", OperatorEnv(objects, "WATCH_NAMESPACE"));

        var clusterWide = Manifests.LoadStrict(Manifests.Template());
        Assert.Single(clusterWide.OfType<V1ClusterRole>(), r => r.Metadata.Name == "mta-operator-manager");
        Assert.DoesNotContain(OperatorContainer(clusterWide).Env, e => e.Name == "WATCH_NAMESPACE");
    }

    [Fact]
    public void LeaderElectionMayTouchOnlyTheOperatorsLease()
    {
        var role = Manifests.OfType<V1Role>(Manifests.Template()).Single(r => r.Metadata.Name.EndsWith("-leader-election", StringComparison.Ordinal));
        Assert.Equal("mta-system", role.Metadata.NamespaceProperty);
        var named = role.Rules.Single(r => r.ResourceNames is not null);
        Assert.Equal([new Mta.Operator.Controller.OperatorOptions().LeaseName], named.ResourceNames);
        Assert.Equal(["get", "update"], named.Verbs);
        Assert.Equal(["create"], role.Rules.Single(r => r.ResourceNames is null).Verbs);
    }

    [Fact]
    public void ManagerRoleNeverListsSecretsOrTouchesPodsOrRbac()
    {
        var rules = Manifests.OfType<V1ClusterRole>(Manifests.Template()).Single(r => r.Metadata.Name == "mta-operator-manager").Rules;
        Assert.Equal(["get"], rules.Single(r => r.Resources.Contains("secrets")).Verbs);
        Assert.DoesNotContain(rules, r => r.Resources.Contains("pods") || r.Resources.Contains("*") || r.Verbs.Contains("*"));
        Assert.DoesNotContain(rules, r => r.ApiGroups.Contains("rbac.authorization.k8s.io"));
    }

    [Fact]
    public void EveryEnvironmentVariableTheChartSetsIsOneTheOperatorReads()
    {
        var program = RepoPaths.Read("operator", "Mta.Operator", "Program.cs");
        var set = OperatorContainer(Manifests.LoadStrict(Manifests.TemplateFull())).Env.Select(e => e.Name)
            .Except(["Logging__LogLevel__Default", "DOTNET_gcServer", "NODE_NAME"]); // host configuration and full-values.yaml's extraEnv
        Assert.All(set, name => Assert.Contains($"Env(\"{name}\")", program));
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

    private static V1Container OperatorContainer(IEnumerable<object> objects) =>
        objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single();

    private static string OperatorEnv(IEnumerable<object> objects, string name) =>
        OperatorContainer(objects).Env.Single(e => e.Name == name).Value;
}

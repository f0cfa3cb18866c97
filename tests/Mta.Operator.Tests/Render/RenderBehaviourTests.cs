using k8s;
using k8s.Models;
using Mta.Config.MasterCf;
using Mta.Operator.Rendering;

namespace Mta.Operator.Tests.Render;

public class RenderBehaviourTests
{
    private static readonly RenderResult Full = MailServerRenderer.Render(RenderFixtures.Example("full.yaml"), RenderFixtures.Everything);
    private static readonly RenderResult Minimal = MailServerRenderer.Render(RenderFixtures.Example("minimal.yaml"), RenderContext.Minimal);

    public static TheoryData<string> Results() => ["full", "minimal"];

    private static RenderResult Pick(string name) => name == "full" ? Full : Minimal;

    [Theory]
    [MemberData(nameof(Results))]
    public void EveryObjectIsControlledByTheMailServerAndLabelled(string which)
    {
        var result = Pick(which);
        Assert.True(result.ConfigValid, result.ConfigError);
        foreach (var obj in result.Objects)
        {
            var owner = Assert.Single(obj.Metadata.OwnerReferences);
            Assert.Equal(("mta.dev/v1alpha1", "MailServer", RenderFixtures.Uid, true, true),
                (owner.ApiVersion, owner.Kind, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
            Assert.False(string.IsNullOrEmpty(obj.ApiVersion));
            Assert.False(string.IsNullOrEmpty(obj.Kind));
            Assert.Equal("mail", obj.Metadata.NamespaceProperty);
            Assert.Equal("mta-operator", obj.Metadata.Labels["app.kubernetes.io/managed-by"]);
            Assert.Equal(owner.Name, obj.Metadata.Labels["app.kubernetes.io/instance"]);
            Assert.True(obj.Metadata.Labels.ContainsKey("app.kubernetes.io/name"));
            Assert.True(obj.Metadata.Labels.ContainsKey("app.kubernetes.io/component"));
        }

        var keys = result.Objects.Select(o => $"{o.Kind}/{o.Metadata.Name}").ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void AutoscaledTiersLeaveReplicasToTheAutoscaler()
    {
        Assert.Null(Deployment(Full, "corp-smtpd").Spec.Replicas);
        Assert.Null(Deployment(Full, "corp-delivery").Spec.Replicas);
        Assert.Equal(2, Deployment(Full, "corp-qmgr").Spec.Replicas);
        Assert.All(Minimal.Objects.OfType<V1Deployment>(), d => Assert.Equal(1, d.Spec.Replicas));
    }

    [Theory]
    [MemberData(nameof(Results))]
    public void EveryPodTemplateCarriesItsTiersConfigHash(string which)
    {
        var result = Pick(which);
        foreach (var tier in TierNames.All)
        {
            var configMap = result.Objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name.EndsWith($"-{tier.Name()}-config"));
            var deployment = result.Objects.OfType<V1Deployment>().Single(d => d.Metadata.Labels["app.kubernetes.io/component"] == tier.Name());
            Assert.Equal(ConfigHash.Of(configMap.Data), deployment.Spec.Template.Metadata.Annotations["mta.dev/config-hash"]);
            Assert.Equal(configMap.Metadata.Name, deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == "config").ConfigMap.Name);
        }

        Assert.Matches("^[0-9a-f]{64}$", result.ConfigHash);
    }

    [Fact]
    public void RenderingIsDeterministic()
    {
        var again = MailServerRenderer.Render(RenderFixtures.Example("full.yaml"), RenderFixtures.Everything);
        Assert.Equal(KubernetesYaml.SerializeAll(Full.Objects), KubernetesYaml.SerializeAll(again.Objects));
        Assert.Equal(Full.ConfigHash, again.ConfigHash);
    }

    [Fact]
    public void AMainCfChangeRollsEveryTierAMasterCfChangeOnlyItsOwn()
    {
        var before = MailServerRenderer.Render(RenderFixtures.WithSpec("{domain: example.org}"), RenderContext.Minimal);
        var mainChanged = MailServerRenderer.Render(RenderFixtures.WithSpec("{domain: example.org, mainCf: {parameters: {smtpd_timeout: 60s}}}"), RenderContext.Minimal);
        var masterChanged = MailServerRenderer.Render(RenderFixtures.WithSpec(
            "{domain: example.org, masterCf: {delivery: \"smtp unix - - n - 50 smtp\"}}"), RenderContext.Minimal);

        foreach (var tier in new[] { "smtpd", "qmgr", "delivery" })
            Assert.NotEqual(PodHash(before, $"t-{tier}"), PodHash(mainChanged, $"t-{tier}"));
        Assert.Equal(PodHash(before, "t-smtpd"), PodHash(masterChanged, "t-smtpd"));
        Assert.Equal(PodHash(before, "t-qmgr"), PodHash(masterChanged, "t-qmgr"));
        Assert.NotEqual(PodHash(before, "t-delivery"), PodHash(masterChanged, "t-delivery"));
        Assert.NotEqual(before.ConfigHash, masterChanged.ConfigHash);
    }

    [Fact]
    public void EveryPodRunsTheOneEntryPointAndItsMasterCfListsOnlyItsTier()
    {
        foreach (var deployment in Full.Objects.OfType<V1Deployment>())
        {
            var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
            Assert.Equal(["mta", "postfix", "-c", "/etc/mta", "start-fg"], container.Command);
        }

        Assert.Equal(["2525/inet", "2587/inet", "2465/inet", "postlog/unix-dgram"], Services(Full, "corp-smtpd-config"));
        Assert.Equal(["qmgr/unix", "postlog/unix-dgram"], Services(Full, "corp-qmgr-config"));
        Assert.Equal(["qmgr/unix", "smtp/unix", "relay/unix", "local/unix", "virtual/unix", "lmtp/unix", "discard/unix", "error/unix", "retry/unix", "postlog/unix-dgram"],
            Services(Full, "corp-delivery-config"));
    }

    [Fact]
    public void AllTiersShareOneMainCf()
    {
        var mainCfs = Full.Objects.OfType<V1ConfigMap>().Where(c => c.Data.ContainsKey("main.cf")).Select(c => c.Data["main.cf"]).Distinct();
        var mainCf = Assert.Single(mainCfs);
        Assert.Contains("\nqueue_backend = redis\n", mainCf);
        Assert.Contains("\nredis_url = redis://corp-redis:6379/0\n", mainCf);
        Assert.Contains("\ncompatibility_level = 3.11\n", mainCf);
        Assert.Contains("\nrelayhost = [smtp.relay.example.net]:587\n", mainCf);
        Assert.Contains("\nsmtpd_tls_cert_file = /etc/mta-secrets/tls/tls.crt\n", mainCf);
        // The user's override replaced the rendered value in place rather than adding a second line.
        Assert.Contains("\nsmtp_tls_security_level = encrypt\n", mainCf);
        Assert.DoesNotContain("smtp_tls_security_level = may", mainCf);
    }

    [Theory]
    [MemberData(nameof(Results))]
    public void EveryContainerIsRestrictedAndWritesOnlyToQueueAndMailPaths(string which)
    {
        var writable = new HashSet<string> { "/var/spool/mta", "/var/lib/mta", "/var/mail", "/tmp", "/data" };
        foreach (var pod in PodSpecs(Pick(which)))
        {
            Assert.True(pod.SecurityContext.RunAsNonRoot);
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
            Assert.False(pod.AutomountServiceAccountToken);
            foreach (var c in pod.Containers)
            {
                Assert.False(c.SecurityContext.AllowPrivilegeEscalation);
                Assert.True(c.SecurityContext.ReadOnlyRootFilesystem);
                Assert.True(c.SecurityContext.RunAsNonRoot);
                Assert.Equal(["ALL"], c.SecurityContext.Capabilities.Drop);
                Assert.Null(c.SecurityContext.Capabilities.Add);
                Assert.Equal("RuntimeDefault", c.SecurityContext.SeccompProfile.Type);
                Assert.NotNull(c.ReadinessProbe);
                Assert.NotNull(c.LivenessProbe);
                Assert.All(c.VolumeMounts.Where(m => m.ReadOnlyProperty != true), m => Assert.Contains(m.MountPath, writable));
            }
        }
    }

    [Fact]
    public void MtaPodsDrainBeforeTheyStop()
    {
        foreach (var name in new[] { "corp-smtpd", "corp-delivery" })
        {
            var pod = Deployment(Full, name).Spec.Template.Spec;
            Assert.True(pod.TerminationGracePeriodSeconds >= 300, "longer than smtpd_timeout");
            Assert.Contains("mta postfix -c /etc/mta stop", string.Join(' ', pod.Containers[0].Lifecycle.PreStop.Exec.Command));
        }
    }

    [Fact]
    public void SmtpdServiceMapsUserPortsOntoUnprivilegedContainerPorts()
    {
        var service = RenderFixtures.Single<V1Service>(Full, "corp-smtpd");
        Assert.Equal("LoadBalancer", service.Spec.Type);
        Assert.Equal("Local", service.Spec.ExternalTrafficPolicy);
        Assert.Equal([("smtp", 25), ("submission", 587), ("submissions", 465)], service.Spec.Ports.Select(p => (p.Name, p.Port)));
        var containerPorts = Deployment(Full, "corp-smtpd").Spec.Template.Spec.Containers[0].Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
        Assert.All(service.Spec.Ports, p => Assert.True(containerPorts[p.TargetPort.Value] > 1024));

        var clusterIp = RenderFixtures.Single<V1Service>(Minimal, "example-smtpd");
        Assert.Equal("ClusterIP", clusterIp.Spec.Type);
        Assert.Null(clusterIp.Spec.ExternalTrafficPolicy);
    }

    [Fact]
    public void ProxyProtocolSetsTheUpstreamProxyParameter()
    {
        var result = MailServerRenderer.Render(RenderFixtures.WithSpec("{domain: example.org, smtpd: {service: {proxyProtocol: true}}}"), RenderContext.Minimal);
        Assert.Contains("\nsmtpd_upstream_proxy_protocol = haproxy\n", result.Objects.OfType<V1ConfigMap>().First().Data["main.cf"]);
        Assert.DoesNotContain("smtpd_upstream_proxy_protocol", Minimal.Objects.OfType<V1ConfigMap>().First().Data["main.cf"]);
    }

    private static V1Deployment Deployment(RenderResult result, string name) => RenderFixtures.Single<V1Deployment>(result, name);

    private static string PodHash(RenderResult result, string name) =>
        Deployment(result, name).Spec.Template.Metadata.Annotations["mta.dev/config-hash"];

    private static IEnumerable<string> Services(RenderResult result, string configMap) =>
        MasterCfFile.Parse(RenderFixtures.Single<V1ConfigMap>(result, configMap).Data["master.cf"], "master.cf").Entries.Select(e => e.Key);

    private static IEnumerable<V1PodSpec> PodSpecs(RenderResult result) =>
        result.Objects.OfType<V1Deployment>().Select(d => d.Spec.Template.Spec)
            .Concat(result.Objects.OfType<V1StatefulSet>().Select(s => s.Spec.Template.Spec));
}

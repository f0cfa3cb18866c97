using k8s.Models;
using Mta.Operator.Rendering;

namespace Mta.Operator.Tests.Render;

/// <summary>Autoscalers, monitoring and Redis objects appear only when asked for and only in the form the cluster serves.</summary>
public class RenderOptionalObjectsTests
{
    private const string Autoscaled =
        "{domain: example.org, smtpd: {autoscaling: {enabled: true, targetCPUUtilizationPercentage: 60, targetActiveSessions: 40}}, " +
        "delivery: {autoscaling: {enabled: true, maxReplicas: 8, targetQueueDepth: 200}}}";

    [Fact]
    public void SmtpdScalesOnSessionsOnlyWhereCustomMetricsAreServed()
    {
        var with = MailServerRenderer.Render(RenderFixtures.WithSpec(Autoscaled), new RenderContext { CustomMetricsAvailable = true });
        var without = MailServerRenderer.Render(RenderFixtures.WithSpec(Autoscaled), RenderContext.Minimal);

        Assert.Equal(["Resource", "Pods"], Hpa(with, "t-smtpd").Spec.Metrics.Select(m => m.Type));
        Assert.Equal("mta_smtpd_active_sessions", Hpa(with, "t-smtpd").Spec.Metrics[1].Pods.Metric.Name);
        Assert.Equal(["Resource"], Hpa(without, "t-smtpd").Spec.Metrics.Select(m => m.Type));
        Assert.Equal(60, Hpa(without, "t-smtpd").Spec.Metrics[0].Resource.Target.AverageUtilization);
        Assert.Contains(without.Warnings, w => w.Contains("custom.metrics.k8s.io"));
        Assert.Equal(("Deployment", "t-smtpd"), (Hpa(with, "t-smtpd").Spec.ScaleTargetRef.Kind, Hpa(with, "t-smtpd").Spec.ScaleTargetRef.Name));
    }

    [Fact]
    public void DeliveryUsesKedaWhenServedAndThenNoHpaOfOurs()
    {
        var ctx = new RenderContext { KedaAvailable = true, ExternalMetricsAvailable = true, PrometheusServerAddress = "http://prom:9090" };
        var result = MailServerRenderer.Render(RenderFixtures.WithSpec(Autoscaled), ctx);

        var scaled = Assert.Single(result.Objects.OfType<GenericResource>(), o => o.Kind == "ScaledObject");
        Assert.Equal("keda.sh/v1alpha1", scaled.ApiVersion);
        Assert.Equal(8, scaled.Spec["maxReplicaCount"]);
        var trigger = (Dictionary<string, object?>)((List<object?>)scaled.Spec["triggers"]!)[0]!;
        var metadata = (Dictionary<string, object?>)trigger["metadata"]!;
        Assert.Equal("200", metadata["threshold"]);
        Assert.Contains("mta_queue_messages{queue=\"active\"", (string)metadata["query"]!);
        Assert.DoesNotContain(result.Objects.OfType<V2HorizontalPodAutoscaler>(), h => h.Metadata.Name == "t-delivery");
        Assert.Null(RenderFixtures.Single<V1Deployment>(result, "t-delivery").Spec.Replicas);
    }

    [Fact]
    public void DeliveryFallsBackToAnExternalMetricHpaThenToCpu()
    {
        var external = MailServerRenderer.Render(RenderFixtures.WithSpec(Autoscaled), new RenderContext { ExternalMetricsAvailable = true });
        var metric = Assert.Single(Hpa(external, "t-delivery").Spec.Metrics, m => m.Type == "External").External;
        Assert.Equal("mta_queue_messages", metric.Metric.Name);
        Assert.Equal("active", metric.Metric.Selector.MatchLabels["queue"]);
        Assert.Equal("200", metric.Target.AverageValue.ToString());
        Assert.DoesNotContain(external.Objects, o => o.Kind == "ScaledObject");

        var bare = MailServerRenderer.Render(RenderFixtures.WithSpec(Autoscaled), RenderContext.Minimal);
        Assert.Equal(["Resource"], Hpa(bare, "t-delivery").Spec.Metrics.Select(m => m.Type));
        Assert.Contains(bare.Warnings, w => w.Contains("targetQueueDepth"));
    }

    [Fact]
    public void NoAutoscalerUnlessEnabled()
    {
        var result = MailServerRenderer.Render(RenderFixtures.WithSpec("{domain: example.org, smtpd: {autoscaling: {enabled: false}}}"), RenderFixtures.Everything);
        Assert.Empty(result.Objects.OfType<V2HorizontalPodAutoscaler>());
        Assert.DoesNotContain(result.Objects, o => o.Kind == "ScaledObject");
        Assert.Equal(1, RenderFixtures.Single<V1Deployment>(result, "t-smtpd").Spec.Replicas);
    }

    [Fact]
    public void MonitoringObjectsOnlyWhenAskedForAndServed()
    {
        const string spec = "{domain: example.org, monitoring: {serviceMonitor: true, prometheusRule: true, labels: {release: kps}}}";
        var served = MailServerRenderer.Render(RenderFixtures.WithSpec(spec), RenderFixtures.Everything);
        var notServed = MailServerRenderer.Render(RenderFixtures.WithSpec(spec), RenderContext.Minimal);
        var notAsked = MailServerRenderer.Render(RenderFixtures.WithSpec("{domain: example.org}"), RenderFixtures.Everything);

        var kinds = served.Objects.OfType<GenericResource>().Where(o => o.ApiVersion == "monitoring.coreos.com/v1").ToList();
        Assert.Equal(["ServiceMonitor", "PrometheusRule"], kinds.Select(k => k.Kind));
        Assert.All(kinds, k => Assert.Equal("kps", k.Metadata.Labels["release"]));
        Assert.DoesNotContain(notServed.Objects, o => o.ApiVersion == "monitoring.coreos.com/v1");
        Assert.Equal(2, notServed.Warnings.Count(w => w.Contains("monitoring.coreos.com")));
        Assert.DoesNotContain(notAsked.Objects, o => o.ApiVersion == "monitoring.coreos.com/v1");
        Assert.Empty(notAsked.Warnings);
    }

    [Fact]
    public void ManagedRedisIsOneStatefulSetWithAofAlwaysAndAPvc()
    {
        var result = MailServerRenderer.Render(RenderFixtures.WithSpec("{domain: example.org, redis: {managed: {storage: {size: 5Gi, storageClassName: ssd}}}}"), RenderContext.Minimal);

        var config = RenderFixtures.Single<V1ConfigMap>(result, "t-redis-config").Data["redis.conf"];
        Assert.Contains("\nappendonly yes\n", config);
        Assert.Contains("\nappendfsync always\n", config);
        var set = RenderFixtures.Single<V1StatefulSet>(result, "t-redis");
        Assert.Equal(1, set.Spec.Replicas);
        var claim = Assert.Single(set.Spec.VolumeClaimTemplates);
        Assert.Equal("5Gi", claim.Spec.Resources.Requests["storage"].ToString());
        Assert.Equal("ssd", claim.Spec.StorageClassName);
        Assert.Equal("t-redis", RenderFixtures.Single<V1Service>(result, "t-redis").Metadata.Name);
        Assert.Contains("\nredis_url = redis://t-redis:6379/0\n", RenderFixtures.Single<V1ConfigMap>(result, "t-smtpd-config").Data["main.cf"]);
    }

    [Fact]
    public void RedisAcceptsOnlyThisMailServersPods()
    {
        var result = MailServerRenderer.Render(RenderFixtures.WithSpec("{domain: example.org}"), RenderContext.Minimal);

        var policy = RenderFixtures.Single<V1NetworkPolicy>(result, "t-redis");
        Assert.Equal("redis", policy.Spec.PodSelector.MatchLabels["app.kubernetes.io/name"]);
        var rule = Assert.Single(policy.Spec.Ingress);
        var peer = Assert.Single(rule.FromProperty);
        Assert.Equal(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "mta", ["app.kubernetes.io/instance"] = "t" }, peer.PodSelector.MatchLabels);
        Assert.Null(peer.NamespaceSelector);
        Assert.Equal(6379, Assert.Single(rule.Ports).Port.ToInt());

        var smtpd = RenderFixtures.Single<V1NetworkPolicy>(result, "t-smtpd");
        Assert.Null(Assert.Single(smtpd.Spec.Ingress).FromProperty);
        Assert.Contains(2525, smtpd.Spec.Ingress[0].Ports.Select(p => p.Port.ToInt()));
    }

    [Fact]
    public void ExternalRedisHasNoRedisObjectsAndPassesThePasswordFromItsSecret()
    {
        var result = MailServerRenderer.Render(
            RenderFixtures.WithSpec("{domain: example.org, redis: {external: {url: 'rediss://r.example:6380/2', passwordSecretRef: {name: redis-auth}}}}"),
            RenderContext.Minimal);

        Assert.True(result.ConfigValid, result.ConfigError);
        Assert.DoesNotContain(result.Objects, o => o.Metadata.Labels["app.kubernetes.io/component"] == "redis");
        Assert.Contains("\nredis_url = rediss://r.example:6380/2\n", RenderFixtures.Single<V1ConfigMap>(result, "t-qmgr-config").Data["main.cf"]);
        foreach (var deployment in result.Objects.OfType<V1Deployment>())
        {
            var env = deployment.Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "MTA_REDIS_PASSWORD");
            Assert.Equal(("redis-auth", "password"), (env.ValueFrom.SecretKeyRef.Name, env.ValueFrom.SecretKeyRef.Key));
        }
    }

    [Fact]
    public void MailboxStorageIsAClaimMountedOnlyInDeliveryPods()
    {
        var result = MailServerRenderer.Render(RenderFixtures.WithSpec("{domain: example.org, mailboxStorage: {size: 2Gi}}"), RenderContext.Minimal);

        var claim = RenderFixtures.Single<V1PersistentVolumeClaim>(result, "t-mailboxes");
        Assert.Equal(["ReadWriteOnce"], claim.Spec.AccessModes);
        Assert.Contains(RenderFixtures.Single<V1Deployment>(result, "t-delivery").Spec.Template.Spec.Containers[0].VolumeMounts, m => m.MountPath == "/var/mail");
        Assert.DoesNotContain(RenderFixtures.Single<V1Deployment>(result, "t-smtpd").Spec.Template.Spec.Containers[0].VolumeMounts, m => m.MountPath == "/var/mail");
    }

    [Fact]
    public void DisruptionBudgetDefaultsToOneUnavailable()
    {
        var result = MailServerRenderer.Render(RenderFixtures.WithSpec("{domain: example.org, delivery: {podDisruptionBudget: {}}}"), RenderContext.Minimal);

        var pdb = RenderFixtures.Single<V1PodDisruptionBudget>(result, "t-delivery");
        Assert.Equal(1, pdb.Spec.MaxUnavailable.ToInt());
        Assert.Null(pdb.Spec.MinAvailable);
        Assert.DoesNotContain(result.Objects.OfType<V1PodDisruptionBudget>(), p => p.Metadata.Name == "t-smtpd");
    }

    [Fact]
    public void InlineAliasesBecomeATexthashTableInEveryTier()
    {
        var result = MailServerRenderer.Render(RenderFixtures.WithSpec("{domain: example.org, aliases: {entries: {team: 'ann, bob@example.net', abuse: root}}}"), RenderContext.Minimal);

        foreach (var tier in new[] { "smtpd", "qmgr", "delivery" })
        {
            var data = RenderFixtures.Single<V1ConfigMap>(result, $"t-{tier}-config").Data;
            Assert.EndsWith("\nabuse root\nteam ann, bob@example.net\n", data["aliases"]);
            Assert.Contains("\nalias_maps = texthash:/etc/mta/aliases\n", data["main.cf"]);
        }
    }

    [Fact]
    public void AliasesFromAConfigMapAreMountedNotCopied()
    {
        var result = MailServerRenderer.Render(RenderFixtures.WithSpec("{domain: example.org, aliases: {configMapRef: {name: site-aliases, key: table}}}"), RenderContext.Minimal);

        var smtpdConfig = RenderFixtures.Single<V1ConfigMap>(result, "t-smtpd-config").Data;
        Assert.False(smtpdConfig.ContainsKey("aliases"));
        Assert.Contains("\nalias_maps = texthash:/etc/mta-aliases/aliases\n", smtpdConfig["main.cf"]);
        var pod = RenderFixtures.Single<V1Deployment>(result, "t-delivery").Spec.Template.Spec;
        var volume = pod.Volumes.Single(v => v.Name == "aliases").ConfigMap;
        Assert.Equal(("site-aliases", "table", "aliases"), (volume.Name, volume.Items[0].Key, volume.Items[0].Path));
        Assert.Contains(pod.Containers[0].VolumeMounts, m => m is { Name: "aliases", MountPath: "/etc/mta-aliases", ReadOnlyProperty: true });
    }

    private static V2HorizontalPodAutoscaler Hpa(RenderResult result, string name) => RenderFixtures.Single<V2HorizontalPodAutoscaler>(result, name);
}

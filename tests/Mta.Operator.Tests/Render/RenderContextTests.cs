using Mta.Operator.Rendering;

namespace Mta.Operator.Tests.Render;

public class RenderContextTests
{
    [Fact]
    public void DiscoveryListsTurnIntoCapabilities()
    {
        var ctx = RenderContext.FromDiscovery(
        [
            ("v1", "configmaps"),
            ("custom.metrics.k8s.io/v1beta1", ""),
            ("keda.sh/v1alpha1", "scaledobjects"),
            ("monitoring.coreos.com/v1", "prometheusrules"),
        ], "http://prom:9090");

        Assert.Equal(new RenderContext
        {
            CustomMetricsAvailable = true,
            KedaAvailable = true,
            PrometheusServerAddress = "http://prom:9090",
            PrometheusRuleAvailable = true,
        }, ctx);
        Assert.Equal(RenderContext.Minimal, RenderContext.FromDiscovery([("v1", "pods"), ("apps/v1", "deployments")]));
    }

    [Fact]
    public void EveryRenderedKindIsAnOwnedKind()
    {
        var results = new[]
        {
            MailServerRenderer.Render(RenderFixtures.Example("full.yaml"), RenderFixtures.Everything),
            MailServerRenderer.Render(RenderFixtures.Example("full.yaml"), new RenderContext { ExternalMetricsAvailable = true }),
            MailServerRenderer.Render(RenderFixtures.Example("minimal.yaml"), RenderContext.Minimal),
        };
        var rendered = results.SelectMany(r => r.Objects).Select(o => (o.ApiVersion, o.Kind)).ToHashSet();
        var owned = OwnedKind.All.Select(k => (k.ApiVersion, k.Kind)).ToHashSet();

        Assert.Subset(owned, rendered);
        Assert.Equal(owned, rendered);
    }
}

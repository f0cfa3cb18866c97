using k8s.Models;

namespace Mta.Deploy.Tests;

/// <summary>deploy/install.yaml is exactly what tests/chart/generate-install.sh renders from the chart now.</summary>
public sealed class InstallBundleTests
{
    [Fact]
    public void InstallYamlIsTheChartRenderedWithDefaults()
    {
        RepoPaths.RequireHelm();
        var fresh = Path.Combine(Path.GetTempPath(), $"mta-install-{Guid.NewGuid():N}.yaml");
        try
        {
            ToolRunner.RunOk("bash", RepoPaths.Combine("tests", "chart", "generate-install.sh"), fresh);
            Assert.True(File.ReadAllText(fresh) == RepoPaths.Read("deploy", "install.yaml"),
                "deploy/install.yaml is stale: run tests/chart/generate-install.sh and commit the result");
        }
        finally
        {
            File.Delete(fresh);
        }
    }

    [Fact]
    public void InstallYamlParsesStrictlyAndHoldsNoHelmTestPod()
    {
        var objects = Manifests.LoadStrict(RepoPaths.Read("deploy", "install.yaml"));
        Assert.Equal("mta-system", Assert.Single(objects.OfType<V1Namespace>()).Metadata.Name);
        Assert.Single(objects.OfType<V1CustomResourceDefinition>());
        Assert.Single(objects.OfType<V1Deployment>());
        Assert.Empty(objects.OfType<V1Pod>());
        Assert.All(objects.OfType<V1Deployment>(), d => Assert.Equal("mta-system", d.Metadata.NamespaceProperty));
    }
}

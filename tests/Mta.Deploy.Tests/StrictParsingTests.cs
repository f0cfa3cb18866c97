namespace Mta.Deploy.Tests;

/// <summary>The strict loader the chart tests rely on really rejects what Kubernetes would reject or drop.</summary>
public sealed class StrictParsingTests
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: x
        spec:
          selector:
            matchLabels: { app: x }
          template:
            metadata:
              labels: { app: x }
            spec:
              containers:
                - name: x
                  image: x:1
        """;

    [Fact]
    public void AWellFormedDeploymentParses()
    {
        var deployment = Assert.IsType<k8s.Models.V1Deployment>(Assert.Single(Manifests.LoadStrict(Deployment)));
        Assert.Equal("x:1", deployment.Spec.Template.Spec.Containers[0].Image);
    }

    [Theory]
    [InlineData("selector:", "selectr:")]
    [InlineData("image: x:1", "imagePullPolicyy: Always\n          image: x:1")]
    [InlineData("metadata:\n  name: x", "metadata:\n  labelz: {}\n  name: x")]
    public void AnUnknownFieldAnywhereFails(string original, string replacement)
    {
        var broken = Deployment.Replace(original, replacement);
        Assert.NotEqual(Deployment, broken);
        Assert.ThrowsAny<Exception>(() => Manifests.LoadStrict(broken));
    }

    [Fact]
    public void AnUnknownKindFails() =>
        Assert.ThrowsAny<Exception>(() => Manifests.LoadStrict("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"));

    [Fact]
    public void AnUnknownFieldInAMailServerFails() =>
        Assert.ThrowsAny<Exception>(() => Manifests.LoadStrict(
            "apiVersion: mta.dev/v1alpha1\nkind: MailServer\nmetadata:\n  name: m\nspec:\n  domain: example.com\n  domian: typo.example\n"));
}

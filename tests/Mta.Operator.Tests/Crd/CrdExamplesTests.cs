using System.Text.Json.Nodes;
using k8s;
using Mta.Operator.Api;

namespace Mta.Operator.Tests.Crd;

public class CrdExamplesTests
{
    private readonly CrdDocument _crd = CrdDocument.Load();

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepoPaths.Examples, "*.yaml").Order())
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void MinimalAndFullExamplesExist()
    {
        Assert.True(File.Exists(Path.Combine(RepoPaths.Examples, "minimal.yaml")));
        Assert.True(File.Exists(Path.Combine(RepoPaths.Examples, "full.yaml")));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryExampleIsAValidMailServer(string file)
    {
        foreach (var doc in YamlToJson.Documents(File.ReadAllText(Path.Combine(RepoPaths.Examples, file))))
        {
            var obj = Assert.IsType<JsonObject>(doc);
            Assert.Equal(MailServer.GroupVersion, obj["apiVersion"]!.GetValue<string>());
            Assert.Equal(MailServer.EntityKind, obj["kind"]!.GetValue<string>());

            var errors = StructuralSchemaValidator.Validate(_crd.Schema, obj);

            Assert.True(errors.Count == 0, $"{file}:\n" + string.Join("\n", errors));
            var typed = KubernetesJson.Deserialize<MailServer>(obj.ToJsonString());
            Assert.False(string.IsNullOrEmpty(typed.Spec.Domain));
        }
    }

    [Fact]
    public void MinimalExampleIsOneDomainAndDefaultsToAManagedRedis()
    {
        var obj = (JsonObject)YamlToJson.Single(File.ReadAllText(Path.Combine(RepoPaths.Examples, "minimal.yaml")))!;
        Assert.Equal(["domain"], obj["spec"]!.AsObject().Select(p => p.Key));

        StructuralSchemaValidator.Validate(_crd.Schema, obj);
        var ms = KubernetesJson.Deserialize<MailServer>(obj.ToJsonString());

        Assert.True(ms.Spec.Redis.Managed?.Enabled);
        Assert.Null(ms.Spec.Redis.External);
        Assert.Equal("3.11", ms.Spec.CompatibilityLevel);
        Assert.Equal(25, ms.Spec.Smtpd.Service.Ports.Smtp);
    }

    [Fact]
    public void FullExampleHasTlsSaslRelayhostAutoscalingMonitoringAndManagedRedis()
    {
        var obj = (JsonObject)YamlToJson.Single(File.ReadAllText(Path.Combine(RepoPaths.Examples, "full.yaml")))!;
        StructuralSchemaValidator.Validate(_crd.Schema, obj);
        var spec = KubernetesJson.Deserialize<MailServer>(obj.ToJsonString()).Spec;

        Assert.NotNull(spec.Tls);
        Assert.NotNull(spec.Sasl);
        Assert.False(string.IsNullOrEmpty(spec.Relayhost));
        Assert.True(spec.Smtpd.IsAutoscaled);
        Assert.True(spec.Delivery.IsAutoscaled);
        Assert.True(spec.Monitoring.ServiceMonitor && spec.Monitoring.PrometheusRule);
        Assert.True(spec.Redis.Managed?.Enabled);
    }
}

using System.Text.Json.Nodes;
using k8s;
using Mta.Operator.Api;
using Mta.Operator.Rendering;
using Mta.Operator.Tests.Crd;

namespace Mta.Operator.Tests.Render;

/// <summary>MailServers as the operator receives them: parsed, validated and defaulted by the CRD schema.</summary>
public static class RenderFixtures
{
    public const string Uid = "6f1c2a4e-0000-4000-8000-000000000001";

    /// <summary>A cluster with everything: custom and external metrics, KEDA, Prometheus Operator.</summary>
    public static RenderContext Everything { get; } = new()
    {
        CustomMetricsAvailable = true,
        ExternalMetricsAvailable = true,
        KedaAvailable = true,
        PrometheusServerAddress = "http://prometheus-operated.monitoring.svc:9090",
        ServiceMonitorAvailable = true,
        PrometheusRuleAvailable = true,
    };

    public static MailServer Example(string file) => FromYaml(File.ReadAllText(Path.Combine(RepoPaths.Examples, file)));

    public static MailServer WithSpec(string specYaml) =>
        FromYaml($"apiVersion: mta.dev/v1alpha1\nkind: MailServer\nmetadata: {{name: t, namespace: mail}}\nspec: {specYaml}\n");

    /// <summary>Defaulted by the schema but not validated: what an object built in code, or under an older CRD, may look like.</summary>
    public static MailServer WithSpecUnchecked(string specYaml) =>
        FromYaml($"apiVersion: mta.dev/v1alpha1\nkind: MailServer\nmetadata: {{name: t, namespace: mail}}\nspec: {specYaml}\n", validate: false);

    public static MailServer FromYaml(string yaml, bool validate = true)
    {
        var obj = (JsonObject)YamlToJson.Single(yaml)!;
        var errors = StructuralSchemaValidator.Validate(CrdDocument.Load().Schema, obj);
        if (validate)
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        var ms = KubernetesJson.Deserialize<MailServer>(obj.ToJsonString());
        ms.Metadata.Uid = Uid;
        ms.Metadata.Generation = 1;
        return ms;
    }

    public static T Single<T>(RenderResult result, string name) =>
        result.Objects.OfType<T>().Single(o => ((IKubernetesObject<k8s.Models.V1ObjectMeta>)o!).Metadata.Name == name);
}

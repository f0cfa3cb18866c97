using Mta.Operator.Api;

namespace Mta.Operator.Tests.Crd;

public class CrdMatchesTypesTests
{
    private readonly CrdDocument _crd = CrdDocument.Load();

    [Fact]
    public void TopLevelPropertiesMatchTheMailServerClass()
    {
        var schemaProps = _crd.Schema["properties"]!.AsObject().Select(p => p.Key).Order();
        var csharp = SchemaTypeMapping.JsonProperties(typeof(MailServer)).Keys.Order();
        Assert.Equal(csharp, schemaProps);
    }

    [Fact]
    public void SpecSchemaAndMailServerSpecAgreeBothWays()
    {
        var problems = SchemaTypeMapping.Compare(typeof(MailServerSpec), _crd.SchemaAt("spec"), "spec");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void StatusSchemaAndMailServerStatusAgreeBothWays()
    {
        var problems = SchemaTypeMapping.Compare(typeof(MailServerStatus), _crd.SchemaAt("status"), "status");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void ConditionTypeEnumIsTheConditionTypesList()
    {
        var values = _crd.SchemaAt("status.conditions")["items"]!["properties"]!["type"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>());
        Assert.Equal(ConditionTypes.All.Order(), values.Order());
    }

    [Fact]
    public void IdentityMatchesTheKubernetesEntityAttribute()
    {
        var entity = (k8s.Models.KubernetesEntityAttribute)Attribute.GetCustomAttribute(typeof(MailServer), typeof(k8s.Models.KubernetesEntityAttribute))!;
        var spec = _crd.Spec;
        Assert.Equal($"{entity.PluralName}.{entity.Group}", _crd.Root["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(entity.Group, spec["group"]!.GetValue<string>());
        Assert.Equal(entity.Kind, spec["names"]!["kind"]!.GetValue<string>());
        Assert.Equal(entity.PluralName, spec["names"]!["plural"]!.GetValue<string>());
        Assert.Equal(entity.ApiVersion, _crd.Version["name"]!.GetValue<string>());
        Assert.Equal("Namespaced", spec["scope"]!.GetValue<string>());
    }

    [Fact]
    public void ComparisonCatchesADriftedProperty()
    {
        // The comparer must notice a renamed property and a changed type, or the tests above prove nothing.
        var schema = (System.Text.Json.Nodes.JsonObject)_crd.SchemaAt("spec.image").DeepClone();
        var props = schema["properties"]!.AsObject();
        props["repo"] = props["repository"]!.DeepClone();
        props.Remove("repository");
        props["tag"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "integer", ["format"] = "int32" };

        var problems = SchemaTypeMapping.Compare(typeof(ImageSpec), schema, "spec.image");

        Assert.Contains(problems, p => p.StartsWith("spec.image.repository: in C#"));
        Assert.Contains(problems, p => p.StartsWith("spec.image.repo: in the schema"));
        Assert.Contains(problems, p => p.StartsWith("spec.image.tag: C# String wants type=string"));
    }
}

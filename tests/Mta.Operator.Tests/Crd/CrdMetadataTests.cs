namespace Mta.Operator.Tests.Crd;

public class CrdMetadataTests
{
    private readonly CrdDocument _crd = CrdDocument.Load();

    [Fact]
    public void HasStatusSubresourceShortNameAndCategories()
    {
        Assert.NotNull(_crd.Version["subresources"]!["status"]);
        Assert.Equal(["ms"], _crd.Spec["names"]!["shortNames"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["mta", "all"], _crd.Spec["names"]!["categories"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.True(_crd.Version["served"]!.GetValue<bool>() && _crd.Version["storage"]!.GetValue<bool>());
    }

    [Fact]
    public void PrinterColumnsShowReadyReplicasQueueAndAge()
    {
        var columns = _crd.Version["additionalPrinterColumns"]!.AsArray()
            .Select(c => (Name: c!["name"]!.GetValue<string>(), Path: c["jsonPath"]!.GetValue<string>()))
            .ToList();

        Assert.Equal(["Ready", "Smtpd", "Delivery", "Queued", "Age"], columns.Select(c => c.Name));
        Assert.Equal(".status.conditions[?(@.type==\"Ready\")].status", columns[0].Path);
        // Every column other than Age points at a status field that exists in the schema.
        foreach (var (_, path) in columns.Skip(1).SkipLast(1))
            Assert.NotNull(_crd.SchemaAt(path.TrimStart('.')));
    }

    [Fact]
    public void ConditionsAreAListMapKeyedByType()
    {
        var conditions = _crd.SchemaAt("status.conditions");
        Assert.Equal("map", conditions["x-kubernetes-list-type"]!.GetValue<string>());
        Assert.Equal(["type"], conditions["x-kubernetes-list-map-keys"]!.AsArray().Select(k => k!.GetValue<string>()));
    }

    [Fact]
    public void LoadsStrictlyAsAKubernetesCustomResourceDefinition()
    {
        // What kubectl and the chart tests read: every field known to the apiextensions model, anchors resolved.
        var crd = k8s.KubernetesYaml.Deserialize<k8s.Models.V1CustomResourceDefinition>(File.ReadAllText(RepoPaths.Crd), strict: true);
        var version = Assert.Single(crd.Spec.Versions);
        var delivery = version.Schema.OpenAPIV3Schema.Properties["spec"].Properties["delivery"];
        Assert.Equal("integer", delivery.Properties["replicas"].Type);
        Assert.Equal("object", delivery.Properties["resources"].Type);
        Assert.Equal(4, version.Schema.OpenAPIV3Schema.Properties["spec"].Properties["qmgr"].Properties.Count);
    }
}

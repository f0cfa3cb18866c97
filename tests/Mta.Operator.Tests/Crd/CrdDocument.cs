using System.Text.Json.Nodes;

namespace Mta.Operator.Tests.Crd;

/// <summary>crds/mailservers.mta.dev.yaml as JSON, with shortcuts to the parts tests look at.</summary>
public sealed class CrdDocument
{
    private CrdDocument(JsonObject root) => Root = root;

    // YAML is parsed once; every caller gets its own JSON tree (JsonNode is not safe to share across parallel tests).
    private static readonly Lazy<string> Json = new(() => YamlToJson.Single(File.ReadAllText(RepoPaths.Crd))!.ToJsonString());

    public static CrdDocument Load() => new((JsonObject)JsonNode.Parse(Json.Value)!);

    public JsonObject Root { get; }
    public JsonObject Spec => (JsonObject)Root["spec"]!;
    public JsonObject Version => (JsonObject)Spec["versions"]![0]!;
    public JsonObject Schema => (JsonObject)Version["schema"]!["openAPIV3Schema"]!;

    /// <summary>A fresh copy of the schema's node at a dotted path of property names (e.g. "spec.smtpd").</summary>
    public JsonObject SchemaAt(string path)
    {
        var node = Schema;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
            node = (JsonObject)node["properties"]![part]!;
        return node;
    }
}

using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>
/// Local aliases (alias_maps, a texthash: table): inline (name -> right-hand side, as in aliases(5)) or from a
/// ConfigMap key holding the table in postmap(1) input format ("name value" lines, no colon). Not both.
/// </summary>
public sealed class AliasesSpec
{
    /// <summary>Inline entries, e.g. postmaster: "root" or team: "ann, bob@example.org".</summary>
    [JsonPropertyName("entries")]
    public Dictionary<string, string>? Entries { get; set; }

    [JsonPropertyName("configMapRef")]
    public ConfigMapKeyRef? ConfigMapRef { get; set; }
}

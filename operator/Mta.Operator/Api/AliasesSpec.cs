using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>aliases(5) entries: inline (name -> right-hand side) or from a ConfigMap key holding an aliases file. Not both.</summary>
public sealed class AliasesSpec
{
    /// <summary>Inline entries, e.g. postmaster: "root" or team: "ann, bob@example.org".</summary>
    [JsonPropertyName("entries")]
    public Dictionary<string, string>? Entries { get; set; }

    [JsonPropertyName("configMapRef")]
    public ConfigMapKeyRef? ConfigMapRef { get; set; }
}

using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>
/// Free-form main.cf overrides applied after everything the operator renders: first the parameters map
/// (name -> value), then the text (main.cf lines, appended verbatim; a later setting wins, as in Postfix).
/// </summary>
public sealed class MainCfOverrides
{
    [JsonPropertyName("parameters")]
    public Dictionary<string, string>? Parameters { get; set; }

    [JsonPropertyName("text")]
    public string? Text { get; set; }
}

using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>Service ports; submission and submissions are served only when set.</summary>
public sealed class SmtpdPortsSpec
{
    [JsonPropertyName("smtp")]
    public int Smtp { get; set; } = 25;

    /// <summary>Message submission with STARTTLS (usually 587).</summary>
    [JsonPropertyName("submission")]
    public int? Submission { get; set; }

    /// <summary>Message submission over implicit TLS (usually 465); needs spec.tls.</summary>
    [JsonPropertyName("submissions")]
    public int? Submissions { get; set; }
}

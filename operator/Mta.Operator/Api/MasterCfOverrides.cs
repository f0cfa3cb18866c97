using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>
/// Extra master.cf lines per tier. A line whose service name and type match a rendered entry replaces it;
/// any other line is appended to that tier's master.cf.
/// </summary>
public sealed class MasterCfOverrides
{
    [JsonPropertyName("smtpd")]
    public string? Smtpd { get; set; }

    [JsonPropertyName("qmgr")]
    public string? Qmgr { get; set; }

    [JsonPropertyName("delivery")]
    public string? Delivery { get; set; }
}

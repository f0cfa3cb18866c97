using System.Text.Json.Serialization;

namespace Mta.Queue.Format;

/// <summary>The file store's per-message state file: the envelope plus scheduling and lease state (format version 1).</summary>
internal sealed class MessageRecord
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("envelope")] public EnvelopeRecord Envelope { get; set; } = new();
    [JsonPropertyName("size")] public long Size { get; set; }
    [JsonPropertyName("notBefore")] public DateTimeOffset? NotBefore { get; set; }
    [JsonPropertyName("attempts")] public int Attempts { get; set; }
    /// <summary>Fencing token of the latest claim; 0 before the first.</summary>
    [JsonPropertyName("fence")] public long Fence { get; set; }
    [JsonPropertyName("holder")] public string? Holder { get; set; }
    [JsonPropertyName("leaseExpires")] public DateTimeOffset? LeaseExpires { get; set; }
}

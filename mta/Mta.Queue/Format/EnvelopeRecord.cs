using System.Text.Json.Serialization;

namespace Mta.Queue.Format;

/// <summary>
/// The stored form of an envelope (format version 1; see QUEUE-FORMAT.md). Field names are short and
/// stable: renaming one is a format change that needs a new version and a reader for the old one.
/// </summary>
internal sealed class EnvelopeRecord
{
    public const int CurrentFormat = 1;

    [JsonPropertyName("format")] public int Format { get; set; } = CurrentFormat;
    [JsonPropertyName("sender")] public string Sender { get; set; } = "";
    [JsonPropertyName("arrival")] public DateTimeOffset Arrival { get; set; }
    [JsonPropertyName("ret")] public string? Ret { get; set; }
    [JsonPropertyName("envid")] public string? EnvId { get; set; }
    [JsonPropertyName("client")] public string? Client { get; set; }
    [JsonPropertyName("smtputf8")] public bool Smtputf8 { get; set; }
    [JsonPropertyName("body8bit")] public bool Body8Bit { get; set; }
    [JsonPropertyName("recipients")] public List<RecipientRecord> Recipients { get; set; } = [];
}

/// <summary>One recipient: its envelope fields and, in the file store, its delivery state.</summary>
internal sealed class RecipientRecord
{
    [JsonPropertyName("address")] public string Address { get; set; } = "";
    [JsonPropertyName("orig")] public string? Original { get; set; }
    [JsonPropertyName("orcpt")] public string? Orcpt { get; set; }
    /// <summary>DSN NOTIFY as RFC 3461 keywords, comma separated ("SUCCESS,DELAY"), null when not given.</summary>
    [JsonPropertyName("notify")] public string? Notify { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("dsn")] public string? Dsn { get; set; }
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("at")] public DateTimeOffset? At { get; set; }
}

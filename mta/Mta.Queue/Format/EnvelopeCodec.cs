using System.Text.Json;

namespace Mta.Queue.Format;

/// <summary>Converts between the public envelope types and their stored records.</summary>
internal static class EnvelopeCodec
{
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Serialize<T>(T record) => JsonSerializer.SerializeToUtf8Bytes(record, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException("empty queue record");

    public static EnvelopeRecord ToRecord(Envelope envelope, IReadOnlyList<RecipientState>? states = null)
    {
        var record = new EnvelopeRecord
        {
            Sender = envelope.Sender,
            Arrival = envelope.ArrivalTime,
            Ret = envelope.Ret switch { DsnRet.Full => "FULL", DsnRet.Hdrs => "HDRS", _ => null },
            EnvId = envelope.EnvId,
            Client = envelope.ClientName,
            Smtputf8 = envelope.Smtputf8,
            Body8Bit = envelope.Body8Bit,
        };
        for (int i = 0; i < envelope.Recipients.Count; i++)
        {
            var r = envelope.Recipients[i];
            var rec = new RecipientRecord { Address = r.Address, Original = r.OriginalAddress, Orcpt = r.Orcpt, Notify = FormatNotify(r.Notify) };
            if (states is not null) SetState(rec, states[i]);
            record.Recipients.Add(rec);
        }
        return record;
    }

    public static Envelope ToEnvelope(EnvelopeRecord record)
    {
        if (record.Format != EnvelopeRecord.CurrentFormat)
            throw new InvalidDataException($"unsupported queue record format {record.Format}");
        var recipients = record.Recipients
            .Select(r => new Recipient(r.Address, r.Original, r.Orcpt, ParseNotify(r.Notify)))
            .ToArray();
        DsnRet? ret = record.Ret switch { "FULL" => DsnRet.Full, "HDRS" => DsnRet.Hdrs, null => null, var other => throw new InvalidDataException($"bad RET {other}") };
        return new Envelope(record.Sender, recipients, record.Arrival, ret, record.EnvId, record.Client, record.Smtputf8, record.Body8Bit);
    }

    public static RecipientState ToState(RecipientRecord record) =>
        record.Status is null ? RecipientState.Pending
            : new RecipientState(ParseStatus(record.Status), record.Dsn, record.Reason, record.At);

    public static void SetState(RecipientRecord record, RecipientState state)
    {
        record.Status = state.Status == RecipientStatus.Pending ? null : FormatStatus(state.Status);
        record.Dsn = state.Dsn;
        record.Reason = state.Reason;
        record.At = state.At;
    }

    public static string FormatStatus(RecipientStatus status) => status switch
    {
        RecipientStatus.Pending => "pending",
        RecipientStatus.Deferred => "deferred",
        RecipientStatus.Delivered => "delivered",
        RecipientStatus.Bounced => "bounced",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static RecipientStatus ParseStatus(string text) => text switch
    {
        "pending" => RecipientStatus.Pending,
        "deferred" => RecipientStatus.Deferred,
        "delivered" => RecipientStatus.Delivered,
        "bounced" => RecipientStatus.Bounced,
        _ => throw new InvalidDataException($"bad recipient status {text}"),
    };

    private static string? FormatNotify(DsnNotify notify)
    {
        if (notify == DsnNotify.Default) return null;
        var words = new List<string>(3);
        if (notify.HasFlag(DsnNotify.Never)) words.Add("NEVER");
        if (notify.HasFlag(DsnNotify.Success)) words.Add("SUCCESS");
        if (notify.HasFlag(DsnNotify.Failure)) words.Add("FAILURE");
        if (notify.HasFlag(DsnNotify.Delay)) words.Add("DELAY");
        return string.Join(',', words);
    }

    private static DsnNotify ParseNotify(string? text)
    {
        if (string.IsNullOrEmpty(text)) return DsnNotify.Default;
        var notify = DsnNotify.Default;
        foreach (var word in text.Split(','))
            notify |= word switch
            {
                "NEVER" => DsnNotify.Never,
                "SUCCESS" => DsnNotify.Success,
                "FAILURE" => DsnNotify.Failure,
                "DELAY" => DsnNotify.Delay,
                _ => throw new InvalidDataException($"bad NOTIFY keyword {word}"),
            };
        return notify;
    }
}

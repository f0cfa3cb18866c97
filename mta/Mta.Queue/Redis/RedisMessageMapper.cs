using System.Globalization;
using Mta.Queue.Format;
using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>Reads a message hash (see <see cref="RedisKeys"/>) into the public model, and formats recipient states.</summary>
internal static class RedisMessageMapper
{
    public static QueuedMessage ToMessage(QueueId id, IReadOnlyDictionary<string, RedisValue> hash)
    {
        if (!hash.TryGetValue("env", out var env) || env.IsNull) throw new InvalidDataException($"{id}: no envelope");
        var record = EnvelopeCodec.Deserialize<EnvelopeRecord>((byte[])env!);
        var envelope = EnvelopeCodec.ToEnvelope(record);
        var states = new RecipientState[envelope.Recipients.Count];
        for (int i = 0; i < states.Length; i++)
            states[i] = hash.TryGetValue("r:" + i.ToString(CultureInfo.InvariantCulture), out var state) ? ParseState(state!) : RecipientState.Pending;
        if (!QueueNames.TryParse(hash.GetValueOrDefault("queue").ToString(), out var queue)) throw new InvalidDataException($"{id}: no queue");
        return new QueuedMessage(id, queue, envelope, Long(hash, "size"), states,
            hash.TryGetValue("nb", out var nb) && !nb.IsNull ? DateTimeOffset.FromUnixTimeMilliseconds((long)nb) : null,
            (int)Long(hash, "attempts"));
    }

    public static Dictionary<string, RedisValue> FromEntries(HashEntry[] entries) =>
        entries.ToDictionary(e => (string)e.Name!, e => e.Value);

    public static Dictionary<string, RedisValue> FromFlat(RedisResult[] flat)
    {
        var hash = new Dictionary<string, RedisValue>(flat.Length / 2);
        for (int i = 0; i + 1 < flat.Length; i += 2) hash[(string)flat[i]!] = (RedisValue)flat[i + 1];
        return hash;
    }

    public static string FormatState(RecipientOutcome outcome, DateTimeOffset at) => string.Join('\t',
        EnvelopeCodec.FormatStatus(outcome.Status), Clean(outcome.Dsn),
        at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), Clean(outcome.Reason));

    private static RecipientState ParseState(string text)
    {
        var parts = text.Split('\t', 4);
        if (parts.Length != 4) throw new InvalidDataException($"bad recipient state \"{text}\"");
        return new RecipientState(EnvelopeCodec.ParseStatus(parts[0]), parts[1],
            parts[3], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[2], CultureInfo.InvariantCulture)));
    }

    private static string Clean(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');

    private static long Long(IReadOnlyDictionary<string, RedisValue> hash, string field) =>
        hash.TryGetValue(field, out var value) && !value.IsNull ? (long)value : 0;
}

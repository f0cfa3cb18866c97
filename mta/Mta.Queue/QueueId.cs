using Mta.Queue.Ids;

namespace Mta.Queue;

/// <summary>
/// A queue ID in Postfix's long format (enable_long_queue_ids = yes): what log lines, mailq and
/// postqueue -j show. The text is the identity; construction and uniqueness belong to the store.
/// Layout (mail_queue.h): seconds in base 52 (at least 6 characters), microseconds in base 52
/// (exactly 4), the separator 'z', then a base-51 suffix (Postfix: the inode; here a per-process unique number).
/// </summary>
public readonly record struct QueueId(string Value)
{
    private const int SecondsMinWidth = 6;
    private const int MicrosecondsWidth = 4;

    /// <summary>A regular expression for our long IDs (no 'z' before the separator), as log parsers use.</summary>
    public const string Pattern = "[0-9BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxy]{10,}z[0-9BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxy]+";

    public override string ToString() => Value;

    /// <summary>Builds the text of a long ID from its parts.</summary>
    public static QueueId Create(long unixSeconds, int microseconds, ulong suffix) =>
        new(SafeAlphabet.Encode((ulong)unixSeconds, SafeAlphabet.TimeBase, SecondsMinWidth)
            + SafeAlphabet.Encode((ulong)microseconds, SafeAlphabet.TimeBase, MicrosecondsWidth)
            + SafeAlphabet.Separator
            + SafeAlphabet.Encode(suffix, SafeAlphabet.SuffixBase, 1));

    /// <summary>True when <paramref name="text"/> is a well-formed long queue ID (also safe as a file name).</summary>
    public static bool IsValid(string? text) => text is not null && TryGetTime(text, out _);

    /// <summary>The time encoded in a long ID (Postfix tools read arrival time this way).</summary>
    public static bool TryGetTime(string text, out DateTimeOffset time)
    {
        time = default;
        int separator = text.LastIndexOf(SafeAlphabet.Separator);
        if (separator < SecondsMinWidth + MicrosecondsWidth || separator == text.Length - 1) return false;
        var timePart = text.AsSpan(0, separator);
        if (!SafeAlphabet.TryDecode(text.AsSpan(separator + 1), SafeAlphabet.SuffixBase, out _)) return false;
        if (!SafeAlphabet.TryDecode(timePart[..^MicrosecondsWidth], SafeAlphabet.TimeBase, out ulong seconds)) return false;
        if (!SafeAlphabet.TryDecode(timePart[^MicrosecondsWidth..], SafeAlphabet.TimeBase, out ulong micros)) return false;
        if (micros >= 1_000_000 || seconds > 253_402_300_799) return false;
        time = DateTimeOffset.FromUnixTimeSeconds((long)seconds).AddTicks((long)micros * 10);
        return true;
    }
}

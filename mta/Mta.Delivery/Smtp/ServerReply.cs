namespace Mta.Delivery.Smtp;

/// <summary>
/// One (possibly multi-line) reply from the server, as smtp_chat_resp() keeps it: the code, the enhanced status
/// code (from the last line, or "X.0.0" when the server gave none), and all lines joined by a space — the form
/// Postfix logs, e.g. "550 5.1.1 &lt;x@y&gt;: User unknown" or "550-5.1.1 first 550 5.1.1 second".
/// </summary>
public sealed record ServerReply(int Code, string Dsn, string Text, IReadOnlyList<string> Lines)
{
    public bool IsPositive => Code is >= 200 and < 300;
    public bool IsIntermediate => Code is >= 300 and < 400;
    public bool IsTransient => Code is >= 400 and < 500;

    /// <summary>Builds a reply from its lines (CRLF removed), deriving the DSN as Postfix does.</summary>
    public static ServerReply FromLines(IReadOnlyList<string> lines)
    {
        var last = lines[^1];
        var code = last.Length >= 3 && char.IsAsciiDigit(last[0]) && char.IsAsciiDigit(last[1]) && char.IsAsciiDigit(last[2])
            ? (last[0] - '0') * 100 + (last[1] - '0') * 10 + (last[2] - '0')
            : 0;
        var dsn = "5.5.0"; // protocol error, as Postfix's SAFETY default
        if (code != 0 && last[0] is '2' or '4' or '5')
        {
            var rest = last.AsSpan(3).TrimStart(' ');
            var length = ValidDsnLength(rest);
            dsn = length > 0 && rest[0] == last[0] ? rest[..length].ToString() : $"{last[0]}.0.0";
        }
        return new ServerReply(code, dsn, string.Join(' ', lines), lines);
    }

    // dsn_valid(): d.ddd.ddd where the class digit is 2, 4 or 5, followed by end or white space.
    private static int ValidDsnLength(ReadOnlySpan<char> text)
    {
        if (text.Length < 5 || text[0] is not ('2' or '4' or '5') || text[1] != '.')
            return 0;
        var i = 2;
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 3) i++;
        if (i == start || i >= text.Length || text[i] != '.')
            return 0;
        i++;
        start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 3) i++;
        if (i == start)
            return 0;
        return i == text.Length || text[i] is ' ' or '\t' ? i : 0;
    }
}

namespace Mta.Delivery.Routing;

/// <summary>dsn_valid(3)/dsn_split(3) for table results that must start with an RFC 3463 status ("5.2.0 text").</summary>
public static class DsnText
{
    /// <summary>The leading status and the free text after it; null when the text does not start with a valid status.</summary>
    public static (string Status, string Text)? Split(string reply)
    {
        var length = ValidLength(reply);
        return length == 0 ? null : (reply[..length], reply[length..].TrimStart());
    }

    /// <summary>dsn_valid(): class 2, 4 or 5, then 1-3 digits, then 1-3 digits ending the text or followed by space.</summary>
    public static int ValidLength(string text)
    {
        if (text.Length < 2 || text[0] is not ('2' or '4' or '5') || text[1] != '.')
            return 0;
        var i = 2;
        var digits = Digits(text, i);
        if (digits is < 1 or > 3 || i + digits >= text.Length || text[i + digits] != '.')
            return 0;
        i += digits + 1;
        digits = Digits(text, i);
        if (digits is < 1 or > 3 || (i + digits < text.Length && !char.IsWhiteSpace(text[i + digits])))
            return 0;
        return i + digits;
    }

    private static int Digits(string text, int start)
    {
        var i = start;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
            i++;
        return i - start;
    }
}

namespace Mta.Delivery.Simple;

/// <summary>dsn_valid()/dsn_split(): an optional "X.YYY.ZZZ" enhanced status code at the start of a text.</summary>
public static class DsnText
{
    /// <summary>True for "2.x.x", "4.x.x" or "5.x.x" with 1-3 digit subject and 1-3 digit detail.</summary>
    public static bool IsValid(string code)
    {
        var parts = code.Split('.');
        return parts.Length == 3
            && parts[0] is "2" or "4" or "5"
            && parts[1].Length is >= 1 and <= 3 && parts[1].All(char.IsAsciiDigit)
            && parts[2].Length is >= 1 and <= 3 && parts[2].All(char.IsAsciiDigit);
    }

    /// <summary>Splits "5.1.1 text" into its code and text; without a code the default is used and the text kept whole.</summary>
    public static (string Dsn, string Text) Split(string text, string defaultDsn)
    {
        text = text.Trim();
        var space = text.IndexOf(' ');
        var first = space < 0 ? text : text[..space];
        if (IsValid(first))
            return (first, space < 0 ? "" : text[(space + 1)..].TrimStart());
        return (defaultDsn, text);
    }
}

namespace Mta.Config.MainCf;

/// <summary>
/// Splits "name = value" like Postfix's split_nameval(): the name ends at white space or '=', white space
/// around '=' and at the end is dropped. Returns null on success, else Postfix's error text.
/// </summary>
public static class NameValueSplitter
{
    public const string MissingName = "missing attribute name";
    public const string MissingEquals = "missing '=' after attribute name";

    public static string? TrySplit(string text, out string name, out string value)
    {
        name = value = "";
        int i = 0;
        while (i < text.Length && LogicalLineReader.IsSpace(text[i]))
            i++;
        if (i == text.Length || text[i] == '=')
            return MissingName;
        int nameStart = i;
        while (i < text.Length && !LogicalLineReader.IsSpace(text[i]) && text[i] != '=')
            i++;
        int nameEnd = i;
        while (i < text.Length && LogicalLineReader.IsSpace(text[i]))
            i++;
        if (i == text.Length || text[i] != '=')
            return MissingEquals;
        i++;
        while (i < text.Length && LogicalLineReader.IsSpace(text[i]))
            i++;
        int end = text.Length;
        while (end > i && LogicalLineReader.IsSpace(text[end - 1]))
            end--;
        name = text[nameStart..nameEnd];
        value = text[i..end];
        return null;
    }
}

namespace Mta.Config.Lists;

/// <summary>
/// Splits a list-valued parameter like Postfix's mystrtokq(): separators are commas and white space
/// (CHARS_COMMA_SP), and text inside { } is one token even when it contains separators. Braces stay in the
/// token (e.g. <c>inline:{ a=b, c=d }</c>); nested braces balance.
/// </summary>
public static class ConfigList
{
    public const string Separators = ", \t\r\n";

    public static IReadOnlyList<string> Split(string text) => Split(text, Separators);

    public static IReadOnlyList<string> Split(string text, string separators)
    {
        var tokens = new List<string>();
        int i = 0;
        while (true)
        {
            while (i < text.Length && separators.Contains(text[i]))
                i++;
            if (i == text.Length)
                return tokens;
            int start = i, depth = 0;
            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '{')
                    depth++;
                else if (depth > 0 && c == '}')
                    depth--;
                else if (depth == 0 && separators.Contains(c))
                    break;
            }
            tokens.Add(text[start..i]);
        }
    }
}

using System.Text;

namespace Mta.Delivery.Local;

/// <summary>
/// Splits an alias value or an :include:/.forward line into destinations as tok822_parse() does for local(8):
/// comma-separated; double quotes protect commas and spaces ("|cmd arg", "/file name") and are removed when they
/// wrap a whole destination; "&lt;addr&gt;" keeps the address; "(comments)" are dropped.
/// </summary>
public static class AliasValueTokenizer
{
    public static IReadOnlyList<string> Split(string value)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        int angle = 0, comment = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < value.Length)
                {
                    current.Append(c).Append(value[++i]);
                    continue;
                }
                if (c == '"')
                    quoted = false;
                current.Append(c);
                continue;
            }
            switch (c)
            {
                case '"' when comment == 0:
                    quoted = true;
                    current.Append(c);
                    break;
                case '(':
                    comment++;
                    break;
                case ')' when comment > 0:
                    comment--;
                    break;
                case '<' when comment == 0:
                    angle++;
                    current.Append(c);
                    break;
                case '>' when comment == 0 && angle > 0:
                    angle--;
                    current.Append(c);
                    break;
                case ',' when comment == 0 && angle == 0:
                    Add(result, current);
                    break;
                default:
                    if (comment == 0)
                        current.Append(c);
                    break;
            }
        }
        Add(result, current);
        return result;
    }

    private static void Add(List<string> result, StringBuilder current)
    {
        var token = current.ToString().Trim();
        current.Clear();
        var open = token.IndexOf('<');
        var close = token.LastIndexOf('>');
        if (open >= 0 && close > open && !token.StartsWith('"'))
            token = token[(open + 1)..close].Trim();
        if (token.Length >= 2 && token[0] == '"' && token[^1] == '"')
            token = Unquote(token[1..^1]);
        if (token.Length > 0)
            result.Add(token);
    }

    private static string Unquote(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
                i++;
            result.Append(text[i]);
        }
        return result.ToString();
    }
}

using System.Text;

namespace Mta.Config.Tables;

/// <summary>
/// Postfix's brace syntax ("{ text }", used by inline:, static:, regexp:{...} and restriction lists):
/// extpar(3) to strip one level of braces and mystrtokq(3) to split on commas and white space outside braces.
/// </summary>
public static class BraceSyntax
{
    /// <summary>Strips "{ ... }" around text and the white space inside; error text in Postfix's words otherwise.</summary>
    public static bool TryStripBraces(string text, out string inner, out string? error)
    {
        var t = text.Trim();
        inner = t;
        error = null;
        if (t.Length == 0 || t[0] != '{')
        {
            error = "missing '{'";
            return false;
        }
        var close = MatchingClose(t, 0);
        if (close < 0)
        {
            error = "missing '}'";
            return false;
        }
        if (close != t.Length - 1)
        {
            error = $"syntax error after '}}' in \"{t}\"";
            return false;
        }
        inner = t[1..close].Trim();
        return true;
    }

    /// <summary>Splits on commas and white space, keeping each "{...}" group (nested braces included) whole.</summary>
    public static List<string> SplitTopLevel(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        foreach (var c in text)
        {
            if (depth == 0 && (c == ',' || char.IsWhiteSpace(c)))
            {
                if (current.Length > 0) { tokens.Add(current.ToString()); current.Clear(); }
                continue;
            }
            if (c == '{') depth++;
            else if (c == '}' && depth > 0) depth--;
            current.Append(c);
        }
        if (current.Length > 0)
            tokens.Add(current.ToString());
        return tokens;
    }

    private static int MatchingClose(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return i;
        }
        return -1;
    }
}

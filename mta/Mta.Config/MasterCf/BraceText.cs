namespace Mta.Config.MasterCf;

/// <summary>Postfix's extpar(..., "{}", EXTPAR_FLAG_STRIP): unwraps "{ text }" and trims white space inside.</summary>
public static class BraceText
{
    /// <summary>Returns null when well-formed, else Postfix's error text; <paramref name="payload"/> is set either way.</summary>
    public static string? Extract(string token, out string payload)
    {
        string? error = null;
        string inner;
        int length = BalancedLength(token);
        if (length == 0)
        {
            error = $"missing '}}' in \"{token}\"";
            inner = token.Length > 0 ? token[1..] : "";
        }
        else
        {
            if (length != token.Length)
                error = $"syntax error after '}}' in \"{token}\"";
            inner = token[1..(length - 1)];
        }
        payload = inner.Trim(' ', '\t', '\r', '\n', '\v', '\f');
        return error;
    }

    // balpar(): the length of "{...}" with nested braces balanced, or 0 when unbalanced.
    private static int BalancedLength(string text)
    {
        if (text.Length == 0 || text[0] != '{')
            return 0;
        int depth = 1;
        for (int i = 1; i < text.Length; i++)
        {
            if (text[i] == '}')
            {
                if (--depth == 0)
                    return i + 1;
            }
            else if (text[i] == '{')
                depth++;
        }
        return 0;
    }
}

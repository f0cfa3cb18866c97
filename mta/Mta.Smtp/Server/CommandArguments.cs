namespace Mta.Smtp.Server;

/// <summary>
/// Splits "FROM:&lt;addr&gt; PARAM=x ..." into the address and its parameters (smtpd_token + extract_addr, simplified):
/// the address may be bracketed or bare (strict_rfc821_envelopes = no), may contain a quoted local part, and
/// must not contain white space, control characters or stray angle brackets outside quotes.
/// </summary>
internal static class CommandArguments
{
    /// <summary>Parses the text after the command verb. Null when the keyword ("FROM:"/"TO:") or the address token is missing.</summary>
    public static (string AddressToken, string[] Parameters)? Split(string args, string keyword)
    {
        var text = args.TrimStart(' ', '\t');
        if (!text.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
            return null;
        text = text[keyword.Length..].TrimStart(' ', '\t');
        if (text.Length == 0)
            return null;
        int end;
        if (text[0] == '<')
        {
            end = ClosingBracket(text);
            if (end < 0)
                end = text.IndexOfAny([' ', '\t']) is var sp and >= 0 ? sp : text.Length;
            else
                end++;
        }
        else
        {
            end = text.IndexOfAny([' ', '\t']);
            if (end < 0)
                end = text.Length;
        }
        var token = text[..end];
        var rest = text[end..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return (token, rest);
    }

    private static int ClosingBracket(string text)
    {
        var quoted = false;
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && quoted) { i++; continue; }
            if (c == '"') quoted = !quoted;
            else if (c == '>' && !quoted) return i;
        }
        return -1;
    }

    /// <summary>Strips the brackets and validates the address; null when the syntax is bad.</summary>
    public static string? ExtractAddress(string token)
    {
        var address = token;
        if (address.StartsWith('<'))
        {
            if (!address.EndsWith('>') || address.Length < 2)
                return null;
            address = address[1..^1];
        }
        else if (address.EndsWith('>'))
            return null;
        var quoted = false;
        for (var i = 0; i < address.Length; i++)
        {
            var c = address[i];
            if (c == '\\' && quoted) { i++; continue; }
            if (c == '"') { quoted = !quoted; continue; }
            if (quoted)
                continue;
            if (c <= ' ' || c == 127 || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' && !address.StartsWith('@'))
                return null;
        }
        if (quoted)
            return null;
        // extract_addr() with strict_rfc821_envelopes = no drops the deprecated route "@a,@b:" before the mailbox:
        // policy, replies, logs and the queue all see only user@domain (checked against Postfix 3.7).
        if (address.StartsWith('@') && address.IndexOf(':') is var colon and > 0)
            address = address[(colon + 1)..];
        return address;
    }

    public static bool IsAscii(string s)
    {
        foreach (var c in s)
            if (c > 127)
                return false;
        return true;
    }

    /// <summary>RFC 3461 xtext decoding ("+2B" -> "+"); null when malformed.</summary>
    public static string? XtextDecode(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '+')
            {
                if (i + 2 >= text.Length || !Uri.IsHexDigit(text[i + 1]) || !Uri.IsHexDigit(text[i + 2]))
                    return null;
                sb.Append((char)Convert.ToInt32(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c < 33 || c > 126 || c == '=')
                return null;
            else
                sb.Append(c);
        }
        return sb.ToString();
    }
}

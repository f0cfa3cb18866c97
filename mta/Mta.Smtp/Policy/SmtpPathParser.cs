using System.Text;

namespace Mta.Smtp.Policy;

/// <summary>
/// The address part of MAIL FROM / RCPT TO as Postfix's smtpd extracts it (extract_addr() with
/// strict_rfc821_envelopes = no): angle brackets optional, a source route "@a,@b:" before the mailbox dropped,
/// quoted local parts unquoted into the internal form ("\"john doe\"@x" becomes "john doe@x"), comments and
/// backslash escapes honoured. Domain validity (trailing dots, literals) is the resolver's business.
/// </summary>
public static class SmtpPathParser
{
    /// <summary>
    /// Splits "&lt;addr&gt; PARAM=x ..." (the text after "FROM:" or "TO:") into the path and the parameter text;
    /// white space inside quotes, brackets or angle brackets does not split.
    /// </summary>
    public static (string Path, string Parameters) SplitPathAndParameters(string text)
    {
        var t = text.TrimStart();
        var inQuote = false;
        var angle = 0;
        var bracket = false;
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            if (inQuote)
            {
                if (c == '\\') i++;
                else if (c == '"') inQuote = false;
                continue;
            }
            switch (c)
            {
                case '"': inQuote = true; break;
                case '<': angle++; break;
                case '>': if (angle > 0) angle--; break;
                case '[': bracket = true; break;
                case ']': bracket = false; break;
                case ' ' or '\t' when angle == 0 && !bracket:
                    return (t[..i], t[(i + 1)..].Trim());
            }
        }
        return (t, "");
    }

    /// <summary>
    /// Extracts the internal form of the address in a path. Fails (Postfix's "Illegal address syntax") for
    /// unbalanced quotes or brackets, more than one address, or an empty address where none is allowed.
    /// </summary>
    public static bool TryExtract(string path, bool allowEmpty, out string address)
    {
        address = "";
        var text = path.Trim();
        if (text.Length >= 2 && text[0] == '<' && text[^1] == '>')
            text = text[1..^1];
        // Truncate the deprecated route address form "@a,@b:user@c".
        if (text.StartsWith('@'))
        {
            var colon = text.IndexOf(':');
            if (colon >= 0)
                text = text[(colon + 1)..];
        }
        var sb = new StringBuilder(text.Length);
        var sawSpaceAfterToken = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"':
                {
                    if (sawSpaceAfterToken) return false;
                    var closed = false;
                    for (i++; i < text.Length; i++)
                    {
                        if (text[i] == '\\' && i + 1 < text.Length) { sb.Append(text[++i]); continue; }
                        if (text[i] == '"') { closed = true; break; }
                        sb.Append(text[i]);
                    }
                    if (!closed) return false;
                    break;
                }
                case '(':
                {
                    // RFC 822 comment: dropped, nesting allowed.
                    var depth = 1;
                    for (i++; i < text.Length && depth > 0; i++)
                    {
                        if (text[i] == '\\') i++;
                        else if (text[i] == '(') depth++;
                        else if (text[i] == ')') depth--;
                    }
                    if (depth > 0) return false;
                    i--;
                    break;
                }
                case '[':
                {
                    if (sawSpaceAfterToken) return false;
                    var close = text.IndexOf(']', i);
                    if (close < 0) return false;
                    sb.Append(text, i, close - i + 1);
                    i = close;
                    break;
                }
                case '\\' when i + 1 < text.Length:
                    sb.Append(text[++i]);
                    break;
                case '<' or '>' or ')' or ']' or ',' or ';':
                    return false;
                case ' ' or '\t':
                    if (sb.Length > 0) sawSpaceAfterToken = true;
                    break;
                default:
                    if (char.IsControl(c)) return false;
                    // "a b@c": two words are two addresses to Postfix's parser, unless separated by '@' or '.'.
                    if (sawSpaceAfterToken && c != '@' && c != '.' && sb[^1] != '@' && sb[^1] != '.')
                        return false;
                    sawSpaceAfterToken = false;
                    sb.Append(c);
                    break;
            }
        }
        address = sb.ToString();
        return address.Length > 0 || allowEmpty;
    }
}

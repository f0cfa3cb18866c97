using System.Text;

namespace Mta.Delivery.Notices;

/// <summary>
/// Postfix's quote_822_local(): the queue keeps addresses unquoted (internal form); notices show them in external
/// form, with a local part that is not an RFC 822 dot-string put in quotes ("john doe"@example.com). 8-bit text is
/// left alone (QUOTE_FLAG_8BITCLEAN).
/// </summary>
public static class AddressQuoting
{
    public static string External(string address)
    {
        int at = address.LastIndexOf('@');
        var local = at < 0 ? address : address[..at];
        if (IsDotString(local)) return address;
        var quoted = new StringBuilder(address.Length + 4).Append('"');
        foreach (var c in local)
        {
            if (c is '"' or '\\' or '\r') quoted.Append('\\');
            quoted.Append(c);
        }
        quoted.Append('"');
        return at < 0 ? quoted.ToString() : quoted.Append(address, at, address.Length - at).ToString();
    }

    private static bool IsDotString(string local)
    {
        if (local.Length == 0 || local[0] == '.' || local[^1] == '.') return false;
        for (int i = 0; i < local.Length; i++)
        {
            char c = local[i];
            if (c == '.' && i + 1 < local.Length && local[i + 1] == '.') return false;
            if (c == ' ' || char.IsControl(c)) return false;
            if (c is '(' or ')' or '<' or '>' or '@' or ',' or ';' or ':' or '\\' or '"' or '[' or ']') return false;
        }
        return true;
    }
}

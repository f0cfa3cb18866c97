using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mta.Smtp.Policy;

/// <summary>
/// Address text helpers shared by the resolver and the restrictions. Addresses are in Postfix's internal
/// (unquoted) form: the local part is everything before the last '@', without RFC 5322 quotes.
/// </summary>
public static class AddressText
{
    private const string Rfc822Specials = "()<>@,;:\\\".[]";

    /// <summary>Splits at the last '@'; domain is null when there is no '@'.</summary>
    public static (string Local, string? Domain) Split(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? (address, null) : (address[..at], address[(at + 1)..]);
    }

    /// <summary>The domain after the last '@', or "" (Postfix's strrchr(addr, '@')).</summary>
    public static string DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? "" : address[(at + 1)..];
    }

    /// <summary>
    /// quote_822_local(3): a local part must be quoted when it is not a valid dot-atom
    /// (RFC 822 specials, white space, control characters, or leading/trailing/double dots).
    /// </summary>
    public static bool NeedsQuoting(string local)
    {
        if (local.Length == 0)
            return true;
        for (var i = 0; i < local.Length; i++)
        {
            var c = local[i];
            if (c == '.')
            {
                if (i == 0 || i == local.Length - 1 || local[i - 1] == '.')
                    return true;
                continue;
            }
            if (c <= ' ' || c == 0x7f || Rfc822Specials.Contains(c))
                return true;
        }
        return false;
    }

    /// <summary>The external (quoted where needed) form of an internal address, as it goes on the wire.</summary>
    public static string Externalize(string address)
    {
        var (local, domain) = Split(address);
        if (address.Length == 0 || !NeedsQuoting(local))
            return address;
        var sb = new StringBuilder(address.Length + 4).Append('"');
        foreach (var c in local)
        {
            if (c is '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        sb.Append('"');
        if (domain is not null) sb.Append('@').Append(domain);
        return sb.ToString();
    }

    /// <summary>Strips one trailing dot but not dot-dot (Postfix's dup_if_truncate).</summary>
    public static string StripTrailingDot(string name) =>
        name.Length > 1 && name[^1] == '.' && name[^2] != '.' ? name[..^1] : name;

    /// <summary>valid_hostname(3): labels of letters, digits, '_' and inner '-', at most 63 long, 255 in all, not all-numeric.</summary>
    public static bool IsValidHostname(string name)
    {
        if (name.Length == 0 || name.Length > 255)
            return false;
        var labelLength = 0;
        var nonNumeric = false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                if (++labelLength > 63) return false;
                if (!char.IsAsciiDigit(c)) nonNumeric = true;
            }
            else if (c == '.')
            {
                if (labelLength == 0 || i == name.Length - 1) return false;
                labelLength = 0;
            }
            else if (c == '-')
            {
                nonNumeric = true;
                labelLength++;
                if (labelLength == 1 || i == name.Length - 1 || name[i + 1] == '.') return false;
            }
            else
            {
                return false;
            }
        }
        return nonNumeric;
    }

    /// <summary>valid_hostaddr(3): a bare IPv4 dotted quad or an IPv6 address.</summary>
    public static bool IsValidHostAddress(string text)
    {
        if (text.Contains(':'))
            return !text.Contains('%') && IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p) <= 255);
    }

    /// <summary>valid_mailhost_literal(3): "[1.2.3.4]" or "[IPv6:2001:db8::1]"; returns the address.</summary>
    public static bool TryParseAddressLiteral(string literal, out IPAddress address)
    {
        address = IPAddress.None;
        if (literal.Length < 3 || literal[0] != '[' || literal[^1] != ']')
            return false;
        var inner = literal[1..^1];
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            inner = inner[5..];
            return inner.Contains(':') && IsValidHostAddress(inner) && IPAddress.TryParse(inner, out address!);
        }
        return !inner.Contains(':') && IsValidHostAddress(inner) && IPAddress.TryParse(inner, out address!);
    }
}

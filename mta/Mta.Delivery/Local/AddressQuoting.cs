namespace Mta.Delivery.Local;

/// <summary>quote_822_local(3): quotes the local part of an address when RFC 822 needs it ("john doe"@example.com).</summary>
public static class AddressQuoting
{
    private const string Specials = "()<>@,;:\\\".[] \t";

    public static string QuoteLocalPart(string address)
    {
        var at = address.LastIndexOf('@');
        var local = at < 0 ? address : address[..at];
        if (!NeedsQuotes(local))
            return address;
        var quoted = "\"" + local.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        return at < 0 ? quoted : quoted + address[at..];
    }

    private static bool NeedsQuotes(string local)
    {
        if (local.Length == 0 || (local.StartsWith('"') && local.EndsWith('"') && local.Length > 1))
            return false;
        if (local.StartsWith('.') || local.EndsWith('.') || local.Contains(".."))
            return true;
        foreach (var c in local)
        {
            if (c != '.' && (Specials.Contains(c) || char.IsControl(c)))
                return true;
        }
        return false;
    }
}

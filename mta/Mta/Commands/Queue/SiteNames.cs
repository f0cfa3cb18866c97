using System.Net;

namespace Mta.Commands.Queue;

/// <summary>The destinations postqueue -s accepts: a host name (valid_hostname) or an address literal in [].</summary>
internal static class SiteNames
{
    public static bool IsValid(string site)
    {
        if (site.StartsWith('['))
            return site.EndsWith(']') && IsAddressLiteral(site[1..^1]);
        if (site.Length is 0 or > 255 || site.StartsWith('.') || site.EndsWith('.') || site.Contains(".."))
            return false;
        foreach (var label in site.Split('.'))
        {
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-'))
                return false;
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
                return false;
        }
        return true;
    }

    private static bool IsAddressLiteral(string text) =>
        text.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.TryParse(text[5..], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            : IPAddress.TryParse(text, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Count(c => c == '.') == 3;
}

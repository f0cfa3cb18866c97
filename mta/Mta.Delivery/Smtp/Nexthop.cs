using System.Net;

namespace Mta.Delivery.Smtp;

/// <summary>
/// A parsed next-hop destination (smtp_parse_destination()): "example.com" (MX lookup), "example.com:2525"
/// (MX lookup, that port), "[mx.example.com]:port" or "[192.0.2.1]" (no MX lookup), "inet:host:port", and for
/// LMTP "unix:/path/to/socket". LMTP never looks up MX records.
/// </summary>
/// <param name="Host">Domain, host name or address literal (without brackets).</param>
/// <param name="Port">TCP port (the default port when none was given).</param>
/// <param name="LookupMx">Whether MX records are looked up for <paramref name="Host"/>.</param>
/// <param name="UnixPath">The UNIX-domain socket path for "unix:/path" (LMTP); null otherwise.</param>
public sealed record Nexthop(string Host, int Port, bool LookupMx, string? UnixPath = null)
{
    /// <summary>The host as an address when it is a literal ("[192.0.2.1]", "[ipv6:2001:db8::1]", "127.0.0.1").</summary>
    public IPAddress? Literal => IPAddress.TryParse(Host, out var a) ? a : null;

    /// <summary>Parses <paramref name="destination"/>; <paramref name="defaultPort"/> is smtp_tcp_port or lmtp_tcp_port.</summary>
    public static Nexthop Parse(string destination, int defaultPort, bool lmtp)
    {
        var text = destination.Trim();
        if (text.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            if (!lmtp)
                throw new FormatException($"unix-domain destination not supported with SMTP: {destination}");
            return new Nexthop(text[5..], 0, LookupMx: false, UnixPath: text[5..]);
        }
        if (text.StartsWith("inet:", StringComparison.OrdinalIgnoreCase))
            text = text[5..];

        string host;
        string? portText = null;
        bool bracketed = false;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
                throw new FormatException($"missing \"]\" in destination: {destination}");
            host = text[1..close];
            if (host.StartsWith("ipv6:", StringComparison.OrdinalIgnoreCase))
                host = host[5..];
            var rest = text[(close + 1)..];
            if (rest.StartsWith(':'))
                portText = rest[1..];
            else if (rest.Length > 0)
                throw new FormatException($"garbage after \"]\" in destination: {destination}");
            bracketed = true;
        }
        else
        {
            // A bare IPv6 address has colons of its own; only host:port has exactly one.
            var colon = text.LastIndexOf(':');
            if (colon > 0 && text.IndexOf(':') == colon)
            {
                host = text[..colon];
                portText = text[(colon + 1)..];
            }
            else
                host = text;
        }
        if (host.Length == 0)
            throw new FormatException($"empty host in destination: {destination}");

        var port = defaultPort;
        if (!string.IsNullOrEmpty(portText))
        {
            port = Mta.Config.MasterCf.KnownTcpPorts.Default.Resolve(portText) ?? 0;
            if (port is <= 0 or > 65535)
                throw new FormatException($"bad port in destination: {destination}");
        }
        var lookupMx = !lmtp && !bracketed && !IPAddress.TryParse(host, out _);
        return new Nexthop(host, port, lookupMx);
    }
}

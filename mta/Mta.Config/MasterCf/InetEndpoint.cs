using System.Net;

namespace Mta.Config.MasterCf;

/// <summary>
/// The listen address of an inet service, from its master.cf name: "port", "host:port", "[ipv6]:port"
/// or "[ipv6:addr]:port" (Postfix's host_port()). <see cref="Host"/> is null for "all interfaces"
/// (inet_interfaces applies then); <see cref="Port"/> is null when the service name is neither numeric
/// nor in known_tcp_ports.
/// </summary>
public sealed record InetEndpoint(string? Host, string Service, int? Port)
{
    /// <summary>Parses a service name; returns null on success, else Postfix's host_port() error text.</summary>
    public static string? TryParse(string name, KnownTcpPorts knownPorts, out InetEndpoint endpoint)
    {
        endpoint = null!;
        string? host;
        string? port;
        if (name.StartsWith('['))
        {
            var rest = name[1..];
            bool ipv6Prefix = rest.StartsWith("ipv6:", StringComparison.OrdinalIgnoreCase);
            if (ipv6Prefix)
                rest = rest[5..];
            int close = rest.IndexOf(']');
            if (close < 0)
                return "missing \"]\"";
            host = rest[..close];
            var after = rest[(close + 1)..];
            if (after.Length > 0 && after[0] != ':')
                return "garbage after \"]\"";
            if (ipv6Prefix && !(IPAddress.TryParse(host, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6))
                return "malformed IPv6 address";
            port = after.Length > 1 ? after[1..] : null;
        }
        else
        {
            int colon = name.LastIndexOf(':');
            if (colon >= 0)
            {
                host = colon > 0 ? name[..colon] : "";
                port = colon + 1 < name.Length ? name[(colon + 1)..] : null;
            }
            else
            {
                host = "";
                port = name.Length > 0 ? name : null;
            }
        }
        if (port is null)
            return "missing service information";
        if (host.Length > 0 && !IsHostnameOrAddress(host))
            return "valid hostname or network address required";
        if (char.IsAsciiDigit(port[0]) && !port.All(char.IsAsciiDigit))
            return "garbage after numerical service";
        endpoint = new InetEndpoint(host.Length == 0 ? null : host, port, knownPorts.Resolve(port));
        return null;
    }

    private static bool IsHostnameOrAddress(string host)
    {
        if (IPAddress.TryParse(host, out _))
            return true;
        return Uri.CheckHostName(host) == UriHostNameType.Dns && !host.Contains('_');
    }
}

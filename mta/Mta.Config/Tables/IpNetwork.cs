using System.Net;
using System.Net.Sockets;

namespace Mta.Config.Tables;

/// <summary>
/// An address block as Postfix writes it in cidr: tables and mynetworks: "192.0.2.0/24", "2001:db8::/32",
/// a bare address (a /32 or /128), and in mynetworks also "[2001:db8::]/32". IPv4-mapped IPv6 client
/// addresses (::ffff:a.b.c.d from a dual-stack socket) match as the IPv4 address they are.
/// </summary>
public readonly record struct IpNetwork(IPAddress Network, int PrefixLength)
{
    public static bool TryParse(string text, out IpNetwork network, out string? error)
    {
        network = default;
        error = null;
        var t = text.Trim();
        var slash = t.IndexOf('/');
        var addressText = slash < 0 ? t : t[..slash];
        if (addressText.StartsWith('[') && addressText.EndsWith(']'))
            addressText = addressText[1..^1];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%'))
        {
            error = $"bad address pattern: \"{text}\"";
            return false;
        }
        address = Normalize(address);
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(t.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out prefix)
                           || prefix > max))
        {
            error = $"bad network mask length in \"{text}\"";
            return false;
        }
        var masked = Mask(address, prefix);
        if (!masked.Equals(address))
        {
            error = $"non-null host address bits in \"{text}\", perhaps you should use \"{Format(masked, address, prefix)}\" instead";
            return false;
        }
        network = new IpNetwork(masked, prefix);
        return true;
    }

    public static IpNetwork Parse(string text)
        => TryParse(text, out var n, out var error) ? n : throw new FormatException(error);

    public bool Contains(IPAddress address)
    {
        address = Normalize(address);
        return address.AddressFamily == Network.AddressFamily && Mask(address, PrefixLength).Equals(Network);
    }

    /// <summary>IPv4-mapped IPv6 becomes IPv4; scope ids are dropped.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            return address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
            return new IPAddress(address.GetAddressBytes());
        return address;
    }

    public override string ToString() => Network.AddressFamily == AddressFamily.InterNetworkV6
        ? $"[{Network}]/{PrefixLength}"
        : $"{Network}/{PrefixLength}";

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }
        return new IPAddress(bytes);
    }

    private static string Format(IPAddress masked, IPAddress original, int prefix) =>
        original.AddressFamily == AddressFamily.InterNetworkV6 ? $"{masked}/{prefix}" : $"{masked}/{prefix}";
}

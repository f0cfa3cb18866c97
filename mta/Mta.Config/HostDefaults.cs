using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Mta.Config;

/// <summary>
/// Defaults that Postfix computes from the host instead of writing them down (mail_params.c, mynetworks.c).
/// Like Postfix, none of these ever asks DNS: a name without a dot gets a domain appended instead.
/// </summary>
public static class HostDefaults
{
    /// <summary>Postfix's DEF_MYDOMAIN, used when the host name has no dot.</summary>
    public const string FallbackDomain = "localdomain";

    /// <summary>The program name Postfix reports as process_name (set by the multi-call executable).</summary>
    public static string ProcessName { get; set; } = "mta";

    /// <summary>
    /// myhostname: the host's name if it contains a dot, else that name with ".$mydomain" appended when
    /// main.cf sets mydomain, else with ".localdomain" (check_myhostname()).
    /// </summary>
    public static string MyHostname(string? configuredMyDomain)
    {
        var name = Dns.GetHostName();
        if (name.Contains('.'))
            return name;
        return name + "." + (configuredMyDomain ?? FallbackDomain);
    }

    /// <summary>mydomain: what follows the first dot of myhostname, else "localdomain" (check_mydomainname()).</summary>
    public static string MyDomain(string myhostname)
    {
        var dot = myhostname.IndexOf('.');
        return dot < 0 ? FallbackDomain : myhostname[(dot + 1)..];
    }

    public static string ProcessId() => Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// mynetworks from mynetworks_style (host, subnet or class, case-insensitive) and the host's interface
    /// addresses, formatted as postconf prints them: IPv4 networks first, then [IPv6]/len, in interface order,
    /// duplicates dropped. IPv6 has no classes, so "class" means "subnet" there, as in Postfix.
    /// </summary>
    /// <exception cref="ArgumentException">The style is not exactly one of host, subnet, class.</exception>
    public static string MyNetworks(string style)
    {
        var normalized = style.Trim().ToLowerInvariant();
        if (normalized is not ("host" or "subnet" or "class"))
            throw new ArgumentException($"bad mynetworks_style value: {style}; specify exactly one value", nameof(style));
        var addresses = InterfaceAddresses();
        var networks = addresses.Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            .Concat(addresses.Where(a => a.Address.AddressFamily == AddressFamily.InterNetworkV6))
            .Select(a => Network(a.Address, a.PrefixLength, normalized));
        return string.Join(' ', networks.Distinct(StringComparer.Ordinal));
    }

    /// <summary>One address with its interface prefix, formatted for the style.</summary>
    public static string Network(IPAddress address, int prefixLength, string style)
    {
        var v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        var bits = v6 ? 128 : 32;
        var length = style switch
        {
            "host" => bits,
            "class" when !v6 => ClassPrefix(address),
            _ => prefixLength,
        };
        var network = Mask(address, length);
        return v6 ? $"[{network}]/{length}" : $"{network}/{length}";
    }

    private static IReadOnlyList<(IPAddress Address, int PrefixLength)> InterfaceAddresses()
    {
        var result = new List<(IPAddress, int)>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus == OperationalStatus.Down)
                continue;
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                result.Add((unicast.Address, unicast.PrefixLength));
        }
        return result;
    }

    // Classful prefix by the first octet (mynetworks.c: IN_CLASSA/B/C/D).
    private static int ClassPrefix(IPAddress address)
    {
        var first = address.GetAddressBytes()[0];
        return first switch { < 128 => 8, < 192 => 16, < 224 => 24, < 240 => 4, _ => 32 };
    }

    // The network address: host bits cleared, scope id dropped (postconf never prints "%eth0").
    private static IPAddress Mask(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefixLength - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}

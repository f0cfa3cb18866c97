using System.Net;

namespace Mta.Delivery.Smtp;

/// <summary>
/// One server to try: the MX (or next-hop) host name, one of its addresses and the port; or, for LMTP, a
/// UNIX-domain socket path. Its texts are Postfix's session names.
/// </summary>
/// <param name="HostName">The name the address was found under, e.g. "mx1.example.com".</param>
/// <param name="Address">The address to connect to; null for a UNIX-domain socket.</param>
/// <param name="Port">TCP port (0 for a UNIX-domain socket).</param>
/// <param name="Preference">MX preference (0 when there was no MX lookup).</param>
/// <param name="UnixPath">The UNIX-domain socket path, or null.</param>
public sealed record SmtpTarget(string HostName, IPAddress? Address, int Port, int Preference = 0, string? UnixPath = null)
{
    private string AddressText => UnixPath ?? Address?.ToString() ?? "";

    /// <summary>Postfix's namaddr: "mx1.example.com[192.0.2.1]" (diagnostics: "host X said: ...").</summary>
    public string NameAddress => $"{HostName}[{AddressText}]";

    /// <summary>Postfix's namaddrport, the relay= field: "mx1.example.com[192.0.2.1]:25" (no port for a socket).</summary>
    public string Relay => UnixPath is null ? $"{NameAddress}:{Port}" : NameAddress;

    /// <summary>The endpoint to connect to.</summary>
    public EndPoint EndPoint => UnixPath is not null
        ? new System.Net.Sockets.UnixDomainSocketEndPoint(UnixPath)
        : new IPEndPoint(Address!, Port);
}

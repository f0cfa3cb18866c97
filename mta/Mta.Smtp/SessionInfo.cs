using System.Net;

namespace Mta.Smtp;

/// <summary>
/// What the policy may know about an SMTP session (Postfix's SMTPD_STATE fields that restrictions read).
/// The session updates it as HELO, STARTTLS and AUTH happen; the policy only reads it.
/// </summary>
public sealed class SessionInfo
{
    public SessionInfo(IPAddress clientAddress, int clientPort, IPEndPoint? localEndPoint, string serviceName)
    {
        ClientAddress = clientAddress;
        ClientPort = clientPort;
        LocalEndPoint = localEndPoint;
        ServiceName = serviceName;
    }

    /// <summary>The real client address (after a HAProxy PROXY header, when one was received).</summary>
    public IPAddress ClientAddress { get; internal set; }

    public int ClientPort { get; internal set; }

    /// <summary>The address the client connected to (server side), after PROXY when present.</summary>
    public IPEndPoint? LocalEndPoint { get; internal set; }

    /// <summary>master.cf service name, e.g. "smtp", "submission", "submissions".</summary>
    public string ServiceName { get; }

    /// <summary>Verified client host name, or "unknown" (Postfix's client_name).</summary>
    public string ClientName { get; internal set; } = "unknown";

    /// <summary>Unverified reverse (PTR) name, or "unknown" (Postfix's reverse_client_name).</summary>
    public string ReverseClientName { get; internal set; } = "unknown";

    /// <summary>"name[addr]" as Postfix logs the client, e.g. "unknown[127.0.0.1]".</summary>
    public string ClientNameAddress => $"{ClientName}[{FormatAddress(ClientAddress)}]";

    /// <summary>The HELO/EHLO argument, null before HELO/EHLO (and again after STARTTLS).</summary>
    public string? HeloName { get; internal set; }

    /// <summary>"SMTP" after HELO, "ESMTP" after EHLO (Postfix's proto= log field).</summary>
    public string Protocol { get; internal set; } = "SMTP";

    public bool TlsActive { get; internal set; }

    /// <summary>Negotiated TLS protocol and cipher, e.g. "TLSv1.3" / "TLS_AES_256_GCM_SHA384", when TLS is active.</summary>
    public string? TlsProtocol { get; internal set; }
    public string? TlsCipher { get; internal set; }

    /// <summary>SASL mechanism and user after a successful AUTH, else null.</summary>
    public string? SaslMethod { get; internal set; }
    public string? SaslUsername { get; internal set; }

    public bool IsAuthenticated => SaslUsername is not null;

    /// <summary>Address text in Postfix's log form (IPv4-mapped IPv6 shown as IPv4).</summary>
    public static string FormatAddress(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString();
}

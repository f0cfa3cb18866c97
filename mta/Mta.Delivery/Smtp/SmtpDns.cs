using System.Globalization;
using System.Net;
using DnsClient;

namespace Mta.Delivery.Smtp;

/// <summary>Builds the DnsClient resolver the smtp agent uses for MX and address lookups.</summary>
public static class SmtpDns
{
    /// <summary>
    /// Environment variable naming the DNS server to ask instead of the system's (/etc/resolv.conf), as
    /// "ip:port" or "ip" (port 53), e.g. MTA_DNS_SERVER=127.0.0.1:5353. Used by the fleet test harness, which
    /// runs its own DNS server on 127.0.0.1 with made-up MX records; unset in production.
    /// </summary>
    public const string ServerVariable = "MTA_DNS_SERVER";

    /// <summary>A resolver asking <paramref name="server"/>, else $MTA_DNS_SERVER, else the system's name servers.</summary>
    /// <param name="server">The DNS server to ask, or null.</param>
    /// <param name="timeout">Per-query time limit (default 5 s; one retry).</param>
    public static IDnsQuery CreateClient(IPEndPoint? server = null, TimeSpan? timeout = null)
    {
        server ??= ParseServer(Environment.GetEnvironmentVariable(ServerVariable));
        var options = server is null ? new LookupClientOptions() : new LookupClientOptions(server);
        // Errors come back as responses (NXDOMAIN, SERVFAIL) so they can be told apart; a single server keeps
        // its answer instead of trying the next one. Timeouts still throw DnsResponseException.
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = false;
        options.ContinueOnEmptyResponse = false;
        options.UseCache = server is null;
        options.Timeout = timeout ?? TimeSpan.FromSeconds(5);
        options.Retries = 1;
        return new LookupClient(options);
    }

    /// <summary>"127.0.0.1:5353", "127.0.0.1", "[::1]:5353" to an endpoint; null for empty text.</summary>
    public static IPEndPoint? ParseServer(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        text = text.Trim();
        // IPAddress.TryParse would accept "[::1]:5300" and drop the port: try the endpoint form first.
        if (IPEndPoint.TryParse(text, out var endpoint))
            return endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint;
        throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{ServerVariable}: expected ip:port, got \"{text}\""));
    }
}

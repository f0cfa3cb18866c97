using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Mta.Delivery.Smtp;

/// <summary>
/// Turns a next hop into the ordered list of servers to try (smtp_addr.c): MX records by preference with
/// equal preferences shuffled, no MX (or no such name) falls back to the name's own A/AAAA records,
/// "[host]" skips MX, a null MX bounces, DNS trouble defers. At most smtp_mx_address_limit addresses.
/// </summary>
public sealed class DestinationResolver
{
    private readonly SmtpClientSettings _settings;
    private readonly IDnsQuery _dns;
    private readonly Func<string, int?>? _testOnlyPortForHost;

    /// <param name="testOnlyPortForHost">
    /// TEST ONLY: the port to use for a host name found in DNS, so that several MX hosts (all resolving to
    /// 127.0.0.1 in tests) can be told apart. Production passes null: MX hosts use smtp_tcp_port (25).
    /// </param>
    public DestinationResolver(SmtpClientSettings settings, IDnsQuery dns, Func<string, int?>? testOnlyPortForHost = null)
    {
        _settings = settings;
        _dns = dns;
        _testOnlyPortForHost = testOnlyPortForHost;
    }

    /// <summary>Raised for Postfix's resolver warnings ("no MX host for X has a valid address record").</summary>
    public event Action<string>? Warning;

    /// <summary>The servers to try, best first, or why there are none.</summary>
    public async ValueTask<(IReadOnlyList<SmtpTarget> Targets, SmtpFailure? Failure)> ResolveAsync(Nexthop hop, CancellationToken cancellationToken)
    {
        if (hop.UnixPath is not null)
            return ([new SmtpTarget(_settings.MyHostname, null, 0, UnixPath: hop.UnixPath)], null);
        if (hop.Literal is { } literal)
            return ([new SmtpTarget(hop.Host, literal, hop.Port)], null);
        if (!hop.LookupMx || _settings.DnsSupport == DnsSupportLevel.Disabled)
        {
            var (addresses, failure) = await LookupHostAsync(hop.Host, cancellationToken).ConfigureAwait(false);
            return addresses.Count == 0
                ? ([], failure)
                : (Limit(Order(addresses.Select(a => new SmtpTarget(hop.Host, a, PortFor(hop.Host, hop.Port))))), null);
        }
        return await ResolveMxAsync(hop, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<(IReadOnlyList<SmtpTarget>, SmtpFailure?)> ResolveMxAsync(Nexthop hop, CancellationToken cancellationToken)
    {
        var (response, error) = await QueryAsync(hop.Host, QueryType.MX, cancellationToken).ConfigureAwait(false);
        if (error is not null)
            return ([], error);
        var mx = response!.Answers.MxRecords().ToList();
        if (mx.Count == 0)
        {
            // No MX (or no such name): the domain's own addresses, as if it were its only MX (RFC 5321 5.1).
            var (addresses, failure) = await LookupHostAsync(hop.Host, cancellationToken).ConfigureAwait(false);
            return addresses.Count == 0
                ? ([], failure)
                : (Limit(Order(addresses.Select(a => new SmtpTarget(hop.Host, a, PortFor(hop.Host, hop.Port))))), null);
        }
        if (mx.Count == 1 && IsRoot(mx[0].Exchange.Value))
            return ([], new SmtpFailure("5.1.0", $"Domain {hop.Host} does not accept mail (nullMX)"));

        var targets = new List<SmtpTarget>();
        SmtpFailure? lastFailure = null;
        foreach (var record in mx.OrderBy(r => r.Preference))
        {
            var host = record.Exchange.Value.TrimEnd('.');
            if (host.Length == 0)
                continue;
            var (addresses, failure) = await LookupHostAsync(host, cancellationToken).ConfigureAwait(false);
            // A soft error dominates past and future hard errors (smtp_addr.c).
            if (failure is not null && (lastFailure is null || !lastFailure.IsSoft))
                lastFailure = failure;
            targets.AddRange(addresses.Select(a => new SmtpTarget(host, a, PortFor(host, hop.Port), record.Preference)));
        }
        if (targets.Count == 0)
        {
            Warning?.Invoke($"no MX host for {hop.Host} has a valid address record");
            return ([], lastFailure ?? new SmtpFailure("5.4.4", $"Host or domain name not found. Name service error for name={hop.Host} type=MX: Host not found"));
        }
        return (Limit(Order(targets)), null);
    }

    private static bool IsRoot(string name) => name is "" or ".";

    private int PortFor(string host, int port) => _testOnlyPortForHost?.Invoke(host) ?? port;

    // Shuffle, then a stable sort by preference and address family: equal preferences end up in random order.
    private IEnumerable<SmtpTarget> Order(IEnumerable<SmtpTarget> targets)
    {
        var list = targets.ToArray();
        if (_settings.RandomizeAddresses && list.Length > 1)
            Random.Shared.Shuffle(list);
        return list.OrderBy(t => t.Preference).ThenBy(t => FamilyRank(t.Address!));
    }

    private int FamilyRank(IPAddress address) => _settings.AddressPreference switch
    {
        "ipv4" => address.AddressFamily == AddressFamily.InterNetwork ? 0 : 1,
        "ipv6" => address.AddressFamily == AddressFamily.InterNetworkV6 ? 0 : 1,
        _ => 0,
    };

    private List<SmtpTarget> Limit(IEnumerable<SmtpTarget> ordered) =>
        _settings.MxAddressLimit > 0 ? ordered.Take(_settings.MxAddressLimit).ToList() : ordered.ToList();

    /// <summary>A host's addresses: DNS A/AAAA per inet_protocols, and/or the native resolver (smtp_host_lookup).</summary>
    private async ValueTask<(List<IPAddress> Addresses, SmtpFailure? Failure)> LookupHostAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = new List<IPAddress>();
        if (_settings.AddressFamilies.Count == 0)
            return (addresses, new SmtpFailure("4.4.4", "all network protocols are disabled"));
        SmtpFailure? failure = null;
        var useDns = _settings.HostLookupDns && _settings.DnsSupport != DnsSupportLevel.Disabled;
        if (useDns)
        {
            foreach (var family in _settings.AddressFamilies)
            {
                var type = family == AddressFamily.InterNetwork ? QueryType.A : QueryType.AAAA;
                var (response, error) = await QueryAsync(host, type, cancellationToken).ConfigureAwait(false);
                if (error is null)
                {
                    var found = response!.Answers.AddressRecords().Select(r => r.Address).ToList();
                    if (found.Count > 0)
                    {
                        addresses.AddRange(found);
                        continue;
                    }
                    error = NotFound(host, type);
                }
                if (failure is null || !failure.IsSoft)
                    failure = error;
            }
            if (addresses.Count > 0)
                return (addresses, null);
        }
        if (_settings.HostLookupNative || !useDns)
        {
            try
            {
                var found = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
                addresses.AddRange(found.Where(a => _settings.AddressFamilies.Contains(a.AddressFamily)));
                if (addresses.Count > 0)
                    return (addresses, null);
                failure ??= new SmtpFailure("5.4.4", $"{host}: host not found");
            }
            catch (SocketException e) when (!cancellationToken.IsCancellationRequested)
            {
                var soft = e.SocketErrorCode == SocketError.TryAgain || failure?.IsSoft == true;
                failure = new SmtpFailure(soft ? "4.4.4" : "5.4.4", $"unable to look up host {host}: {e.Message}");
            }
        }
        return (addresses, failure);
    }

    private static SmtpFailure NotFound(string name, QueryType type) =>
        new("5.4.4", $"Host or domain name not found. Name service error for name={name} type={type}: Host not found");

    private static SmtpFailure TryAgain(string name, QueryType type) =>
        new("4.4.3", $"Host or domain name not found. Name service error for name={name} type={type}: Host not found, try again");

    /// <summary>One query; NXDOMAIN and "no data" are a response with no answers, SERVFAIL/timeouts a soft failure.</summary>
    private async ValueTask<(IDnsQueryResponse? Response, SmtpFailure? Error)> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _dns.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            return response.Header.ResponseCode switch
            {
                DnsHeaderResponseCode.NoError or DnsHeaderResponseCode.NotExistentDomain => (response, null),
                _ => (null, TryAgain(name, type)),
            };
        }
        catch (DnsResponseException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, TryAgain(name, type));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // DnsClient reports its own timeout as a cancellation in some paths.
            return (null, TryAgain(name, type));
        }
    }
}

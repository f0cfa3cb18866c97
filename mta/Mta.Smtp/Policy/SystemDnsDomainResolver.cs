using System.Net;
using System.Net.Sockets;

namespace Mta.Smtp.Policy;

/// <summary>
/// <see cref="IDomainResolver"/> over System.Net.Dns: a domain exists when it has an A or AAAA record.
/// Pending: MX records and null MX (RFC 7505) need a real DNS client (DnsClient); a domain with only MX
/// records is reported as not found here.
/// </summary>
public sealed class SystemDnsDomainResolver : IDomainResolver
{
    public async ValueTask<DomainLookupStatus> LookupMailHostAsync(string domain, CancellationToken cancellationToken)
    {
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(domain, cancellationToken).ConfigureAwait(false);
            return addresses.Length > 0 ? DomainLookupStatus.Found : DomainLookupStatus.NotFound;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData)
        {
            return DomainLookupStatus.NotFound;
        }
        catch (SocketException)
        {
            return DomainLookupStatus.TryAgain;
        }
    }
}

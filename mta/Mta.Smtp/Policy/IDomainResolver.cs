namespace Mta.Smtp.Policy;

/// <summary>The answer of a DNS existence check (dns_lookup's DNS_OK / DNS_NOTFOUND / DNS_RETRY / DNS_NULLMX).</summary>
public enum DomainLookupStatus { Found, NotFound, TryAgain, NullMx }

/// <summary>
/// DNS checks the restrictions need: reject_unknown_sender_domain / reject_unknown_recipient_domain ask for a mail host
/// (MX, else A/AAAA), reject_unknown_helo_hostname likewise. Kept behind an interface so a DnsClient-based resolver
/// (with MX and null-MX support) can replace <see cref="SystemDnsDomainResolver"/> where that package is referenced.
/// </summary>
public interface IDomainResolver
{
    ValueTask<DomainLookupStatus> LookupMailHostAsync(string domain, CancellationToken cancellationToken);
}

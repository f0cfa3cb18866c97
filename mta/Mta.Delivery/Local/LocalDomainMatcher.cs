using Mta.Config.Tables;

namespace Mta.Delivery.Local;

/// <summary>
/// Decides whether an alias member's domain is ours (mydestination), so it is expanded here rather than forwarded:
/// local(8) asks trivial-rewrite whether the address resolves to its own transport; for the local class that means
/// mydestination. Table entries are looked up, names compared ignoring case.
/// </summary>
public sealed class LocalDomainMatcher(IReadOnlyList<string> myDestination, Func<string, ILookupTable> open)
{
    public async ValueTask<bool> IsLocalAsync(string domain, CancellationToken ct)
    {
        foreach (var item in myDestination)
        {
            if (LookupTableFactory.TryParseReference(item, out _, out _))
            {
                if (await open(item).LookupAsync(domain, ct) is not null)
                    return true;
            }
            else if (string.Equals(item, domain, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}

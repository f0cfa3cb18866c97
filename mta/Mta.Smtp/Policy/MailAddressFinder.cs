using Mta.Config.Tables;

namespace Mta.Smtp.Policy;

/// <summary>mail_addr_find(3) lookup strategies: which partial keys an address lookup tries, in Postfix's order.</summary>
[Flags]
public enum AddressLookupStrategy
{
    /// <summary>user+ext@domain (all tables), then user@domain (fixed tables).</summary>
    Full = 1,
    /// <summary>Also try the address with its recipient_delimiter extension removed.</summary>
    NoExtension = 2,
    /// <summary>user+ext, user when the domain is $myorigin or local.</summary>
    LocalPartIfLocal = 4,
    /// <summary>user+ext@, user@ when the domain is $myorigin or local.</summary>
    LocalPartAtIfLocal = 8,
    /// <summary>@domain.</summary>
    AtDomain = 16,
    /// <summary>domain (access maps).</summary>
    Domain = 32,
    /// <summary>With Domain: parent domains as "example.com".</summary>
    ParentDomains = 64,
    /// <summary>With Domain: parent domains as ".example.com".</summary>
    ParentDotDomains = 128,
    /// <summary>user+ext@, user@ whatever the domain.</summary>
    LocalPartAt = 256,

    /// <summary>canonical, virtual alias and recipient validation maps (MA_FIND_DEFAULT).</summary>
    Default = Full | NoExtension | LocalPartIfLocal | AtDomain,
    /// <summary>smtpd access maps with smtpd_access_maps in parent_domain_matches_subdomains.</summary>
    Access = Full | NoExtension | Domain | LocalPartAt | ParentDomains,
}

/// <summary>
/// Looks an address up in a list of tables (maps_find over "map1, map2"), trying the partial keys of a strategy
/// in mail_addr_find()'s order. Partial keys are only asked of fixed-string tables, as in Postfix.
/// </summary>
public sealed class MailAddressFinder
{
    private readonly string _recipientDelimiter;
    private readonly string _myOrigin;
    private readonly Func<string, CancellationToken, ValueTask<bool>> _isLocalDomain;

    public MailAddressFinder(string recipientDelimiter, string myOrigin,
        Func<string, CancellationToken, ValueTask<bool>> isLocalDomain)
    {
        _recipientDelimiter = recipientDelimiter;
        _myOrigin = myOrigin;
        _isLocalDomain = isLocalDomain;
    }

    /// <summary>The value found, and the extension that was stripped to find it (null when the full key matched).</summary>
    public readonly record struct Found(string Value, string? Extension);

    /// <summary>Finds the first value; null when nothing matched. Table errors propagate as <see cref="TableLookupException"/>.</summary>
    public async ValueTask<Found?> FindAsync(IReadOnlyList<ILookupTable> maps, string address,
        AddressLookupStrategy strategy, CancellationToken ct = default)
    {
        if (maps.Count == 0)
            return null;
        var (bare, extension) = (strategy & AddressLookupStrategy.NoExtension) != 0
            ? StripExtension(address)
            : (null, null);
        var at = address.LastIndexOf('@');

        if ((strategy & AddressLookupStrategy.Full) != 0)
        {
            var external = AddressText.Externalize(address);
            if (external != address && await MapsFindAsync(maps, external, partial: false, ct) is { } ext)
                return new Found(ext, null);
            if (await MapsFindAsync(maps, address, partial: false, ct) is { } full)
                return new Found(full, null);
        }
        if (bare is not null && await MapsFindAsync(maps, bare, partial: true, ct) is { } noExt)
            return new Found(noExt, extension);

        if (at >= 0 && (strategy & (AddressLookupStrategy.LocalPartIfLocal | AddressLookupStrategy.LocalPartAtIfLocal)) != 0)
        {
            var domain = address[(at + 1)..];
            if (domain.Equals(_myOrigin, StringComparison.OrdinalIgnoreCase) || await _isLocalDomain(domain, ct))
            {
                if ((strategy & AddressLookupStrategy.LocalPartIfLocal) != 0
                    && await FindLocalAsync(maps, address, at, bare, extension, withAt: false, ct) is { } local)
                    return local;
                if ((strategy & AddressLookupStrategy.LocalPartAtIfLocal) != 0
                    && await FindLocalAsync(maps, address, at, bare, extension, withAt: true, ct) is { } localAt)
                    return localAt;
            }
        }
        if (at >= 0 && (strategy & AddressLookupStrategy.AtDomain) != 0
            && await MapsFindAsync(maps, address[at..], partial: true, ct) is { } atDomain)
            return new Found(atDomain, null);

        if (at >= 0 && (strategy & AddressLookupStrategy.Domain) != 0)
        {
            var name = address[(at + 1)..];
            while (name.Length > 0)
            {
                if (await MapsFindAsync(maps, name, partial: true, ct) is { } dom)
                    return new Found(dom, null);
                if ((strategy & (AddressLookupStrategy.ParentDomains | AddressLookupStrategy.ParentDotDomains)) == 0)
                    break;
                var dot = name.IndexOf('.', 1);
                if (dot < 0)
                    break;
                name = (strategy & AddressLookupStrategy.ParentDotDomains) != 0 ? name[dot..] : name[(dot + 1)..];
            }
        }
        if ((strategy & AddressLookupStrategy.LocalPartAt) != 0
            && await FindLocalAsync(maps, address, at < 0 ? address.Length : at, bare, extension, withAt: true, ct) is { } anyAt)
            return anyAt;
        return null;
    }

    /// <summary>strip_addr(3): "user+ext@domain" -> ("user@domain", "+ext") when recipient_delimiter is set.</summary>
    public (string? Bare, string? Extension) StripExtension(string address)
    {
        if (_recipientDelimiter.Length == 0)
            return (null, null);
        var at = address.LastIndexOf('@');
        var localEnd = at < 0 ? address.Length : at;
        var delim = address.AsSpan(0, localEnd).IndexOfAny(_recipientDelimiter);
        if (delim <= 0)
            return (null, null);
        return (address[..delim] + address[localEnd..], address[delim..localEnd]);
    }

    private async ValueTask<Found?> FindLocalAsync(IReadOnlyList<ILookupTable> maps, string address, int at,
        string? bare, string? extension, bool withAt, CancellationToken ct)
    {
        var suffix = withAt ? "@" : "";
        if (await MapsFindAsync(maps, address[..at] + suffix, partial: true, ct) is { } full)
            return new Found(full, null);
        if (bare is not null)
        {
            var bareAt = bare.LastIndexOf('@');
            var bareLocal = bareAt < 0 ? bare : bare[..bareAt];
            if (await MapsFindAsync(maps, bareLocal + suffix, partial: true, ct) is { } noExt)
                return new Found(noExt, extension);
        }
        return null;
    }

    /// <summary>maps_find(3): the first table with the key wins; partial keys skip pattern tables.</summary>
    public static async ValueTask<string?> MapsFindAsync(IReadOnlyList<ILookupTable> maps, string key, bool partial,
        CancellationToken ct)
    {
        foreach (var map in maps)
        {
            if (partial && !map.IsFixed)
                continue;
            if (await map.LookupAsync(key, ct).ConfigureAwait(false) is { } value)
                return value;
        }
        return null;
    }
}

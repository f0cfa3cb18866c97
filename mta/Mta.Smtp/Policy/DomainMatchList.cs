using Mta.Config.Lists;
using Mta.Config.Tables;

namespace Mta.Smtp.Policy;

/// <summary>
/// A domain list such as mydestination, relay_domains or virtual_alias_domains (match_list(3) with
/// match_hostname): names, "!name" exclusions, "/file" contents and type:table lookups, first match wins.
/// With parent matching (the parameter is in parent_domain_matches_subdomains) "example.com" also matches
/// "sub.example.com"; otherwise only ".example.com" does. Table lookups try the name, then (fixed tables only)
/// each parent as "example.com" or ".example.com" likewise.
/// </summary>
public sealed class DomainMatchList
{
    private readonly IReadOnlyList<MatchListItem> _items;
    private readonly ILookupTable?[] _tables;
    private readonly bool _parentMatchesSubdomains;

    public DomainMatchList(string parameterName, IReadOnlyList<MatchListItem> items, bool parentMatchesSubdomains,
        LookupTableFactory tables)
    {
        ParameterName = parameterName;
        _items = items;
        _parentMatchesSubdomains = parentMatchesSubdomains;
        _tables = items.Select(i => i.Table is { } t ? tables.Open(t.ToString()) : null).ToArray();
    }

    /// <summary>Parses a list value ("a.example, !b.example, hash:/etc/postfix/relay").</summary>
    public static DomainMatchList Parse(string parameterName, string value, bool parentMatchesSubdomains,
        LookupTableFactory tables) =>
        new(parameterName, MatchListParser.Parse(value, parameterName), parentMatchesSubdomains, tables);

    public static DomainMatchList Empty(string parameterName) =>
        new(parameterName, [], false, LookupTableFactory.Shared);

    public string ParameterName { get; }
    public bool IsEmpty => _items.Count == 0;

    /// <summary>True when the (case-folded) domain matches; throws <see cref="TableLookupException"/> on table errors.</summary>
    public async ValueTask<bool> MatchesAsync(string domain, CancellationToken cancellationToken = default)
    {
        if (_items.Count == 0 || domain.Length == 0)
            return false;
        var name = domain.ToLowerInvariant();
        for (var i = 0; i < _items.Count; i++)
        {
            var item = _items[i];
            if (item.FileError is not null)
                throw new TableLookupException(ParameterName, item.FileError);
            var matched = _tables[i] is { } table
                ? await MatchesTableAsync(table, name, cancellationToken).ConfigureAwait(false)
                : MatchesPattern(name, item.Pattern.ToLowerInvariant());
            if (matched)
                return !item.Negated;
        }
        return false;
    }

    private bool MatchesPattern(string name, string pattern)
    {
        if (name == pattern)
            return true;
        if (_parentMatchesSubdomains)
            return name.Length > pattern.Length && name.EndsWith(pattern, StringComparison.Ordinal)
                   && name[name.Length - pattern.Length - 1] == '.';
        return pattern.StartsWith('.') && name.Length > pattern.Length && name.EndsWith(pattern, StringComparison.Ordinal);
    }

    private async ValueTask<bool> MatchesTableAsync(ILookupTable table, string name, CancellationToken ct)
    {
        if (await table.LookupAsync(name, ct).ConfigureAwait(false) is not null)
            return true;
        if (!table.IsFixed)
            return false;
        for (var dot = name.IndexOf('.', 1); dot > 0; dot = name.IndexOf('.', dot + 1))
        {
            var key = _parentMatchesSubdomains ? name[(dot + 1)..] : name[dot..];
            if (key.Length > 0 && await table.LookupAsync(key, ct).ConfigureAwait(false) is not null)
                return true;
        }
        return false;
    }
}

using System.Net;
using Mta.Config;
using Mta.Config.Lists;
using Mta.Config.Tables;

namespace Mta.Smtp.Policy;

/// <summary>
/// A client list such as mynetworks or smtpd_client_event_limit_exceptions (namadr_list(3)): network/mask
/// (IPv4, IPv6, "[ipv6]/len"), bare addresses, host names (parent domains match when the parameter is in
/// parent_domain_matches_subdomains), "!pattern", "/file" and type:table (looked up with the client
/// address, and with the client name and its parent domains).
/// </summary>
public sealed class NetworkMatchList
{
    private readonly List<Entry> _entries = new();
    private readonly bool _parentMatchesSubdomains;

    public NetworkMatchList(string parameterName, IReadOnlyList<MatchListItem> items, bool parentMatchesSubdomains,
        LookupTableFactory tables)
    {
        ParameterName = parameterName;
        _parentMatchesSubdomains = parentMatchesSubdomains;
        foreach (var item in items)
        {
            if (item.FileError is not null)
                _entries.Add(new Entry(item, null, null, item.FileError));
            else if (item.Table is { } table)
                _entries.Add(new Entry(item, tables.Open(table.ToString()), null, null));
            else if (LooksLikeAddress(item.Pattern))
            {
                if (!IpNetwork.TryParse(item.Pattern, out var network, out var error))
                    throw new ConfigException($"{parameterName}: {error}");
                _entries.Add(new Entry(item, null, network, null));
            }
            else
                _entries.Add(new Entry(item, null, null, null));
        }
    }

    public static NetworkMatchList Parse(string parameterName, string value, bool parentMatchesSubdomains,
        LookupTableFactory tables) =>
        new(parameterName, MatchListParser.Parse(value, parameterName), parentMatchesSubdomains, tables);

    public string ParameterName { get; }
    public bool IsEmpty => _entries.Count == 0;

    /// <summary>First match decides; "!" entries exclude. Throws <see cref="TableLookupException"/> on table errors.</summary>
    public async ValueTask<bool> MatchesAsync(IPAddress address, string clientName = "unknown",
        CancellationToken cancellationToken = default)
    {
        address = IpNetwork.Normalize(address);
        var addressText = address.ToString();
        var name = clientName.ToLowerInvariant();
        foreach (var entry in _entries)
        {
            if (entry.Error is not null)
                throw new TableLookupException(ParameterName, entry.Error);
            bool matched;
            if (entry.Table is { } table)
                matched = await table.LookupAsync(addressText, cancellationToken).ConfigureAwait(false) is not null
                          || await MatchesNameInTableAsync(table, name, cancellationToken).ConfigureAwait(false);
            else if (entry.Network is { } network)
                matched = network.Contains(address);
            else
                matched = MatchesName(name, entry.Item.Pattern.ToLowerInvariant());
            if (matched)
                return !entry.Item.Negated;
        }
        return false;
    }

    private static bool LooksLikeAddress(string pattern) =>
        pattern.StartsWith('[') || pattern.Contains(':') || pattern.Contains('/')
        || pattern.All(c => char.IsAsciiDigit(c) || c == '.');

    private bool MatchesName(string name, string pattern)
    {
        if (name == "unknown" || name.Length == 0)
            return name == pattern;
        if (name == pattern)
            return true;
        if (_parentMatchesSubdomains)
            return name.Length > pattern.Length && name.EndsWith(pattern, StringComparison.Ordinal)
                   && name[name.Length - pattern.Length - 1] == '.';
        return pattern.StartsWith('.') && name.EndsWith(pattern, StringComparison.Ordinal);
    }

    private async ValueTask<bool> MatchesNameInTableAsync(ILookupTable table, string name, CancellationToken ct)
    {
        if (await table.LookupAsync(name, ct).ConfigureAwait(false) is not null)
            return true;
        if (!table.IsFixed || name == "unknown")
            return false;
        for (var dot = name.IndexOf('.', 1); dot > 0; dot = name.IndexOf('.', dot + 1))
        {
            var key = _parentMatchesSubdomains ? name[(dot + 1)..] : name[dot..];
            if (key.Length > 0 && await table.LookupAsync(key, ct).ConfigureAwait(false) is not null)
                return true;
        }
        return false;
    }

    private sealed record Entry(MatchListItem Item, ILookupTable? Table, IpNetwork? Network, string? Error);
}

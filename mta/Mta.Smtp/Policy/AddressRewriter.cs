using Mta.Config.Lists;
using Mta.Config.Tables;

namespace Mta.Smtp.Policy;

/// <summary>
/// cleanup(8)'s envelope address rewriting: canonical form (append @$myorigin, site!user, user%domain),
/// sender_canonical_maps/recipient_canonical_maps before canonical_maps (one-to-one, up to 10 rounds, stopping at an
/// address that maps to itself), then virtual_alias_maps (one-to-many, recursive, bounded by
/// virtual_alias_recursion_limit and virtual_alias_expansion_limit; an address may expand into itself once).
/// Lookups follow mail_addr_find's default order (user+ext@domain, user@domain, user+ext, user for local domains,
/// @domain); "@domain" results keep the user; unmatched extensions propagate per propagate_unmatched_extensions.
/// </summary>
public sealed class AddressRewriter
{
    private const int CanonicalRecursion = 10;
    private readonly AddressRewriterSettings _s;
    private readonly MailAddressFinder _finder;
    private readonly Action<string> _log;

    public AddressRewriter(AddressRewriterSettings settings, MailAddressFinder finder, Action<string>? log = null)
    {
        _s = settings;
        _finder = finder;
        _log = log ?? (_ => { });
    }

    /// <summary>Envelope sender: canonical form, sender_canonical_maps, canonical_maps. The null sender stays null.</summary>
    public async ValueTask<string> RewriteSenderAsync(string sender, CancellationToken ct = default)
    {
        if (sender.Length == 0)
            return sender;
        var address = CanonicalForm(sender);
        address = await MapOneToOneAsync(_s.SenderCanonicalMaps, "sender_canonical_maps", address, ct);
        return await MapOneToOneAsync(_s.CanonicalMaps, "canonical_maps", address, ct);
    }

    /// <summary>Envelope recipient: canonical form, recipient_canonical_maps, canonical_maps, then virtual alias expansion.</summary>
    public async ValueTask<IReadOnlyList<string>> RewriteRecipientAsync(string recipient, CancellationToken ct = default)
    {
        var address = CanonicalForm(recipient);
        address = await MapOneToOneAsync(_s.RecipientCanonicalMaps, "recipient_canonical_maps", address, ct);
        address = await MapOneToOneAsync(_s.CanonicalMaps, "canonical_maps", address, ct);
        return await ExpandVirtualAliasesAsync(address, ct);
    }

    /// <summary>rewrite_clnt "local" context: strip a source route, swap site!user, promote user%domain, append @$myorigin.</summary>
    public string CanonicalForm(string address)
    {
        if (address.Length == 0)
            return address;
        var text = address;
        if (text.StartsWith('@') && text.IndexOf(':') is var colon and > 0 && colon < text.Length - 1)
            text = text[(colon + 1)..];
        var (local, domain) = AddressText.Split(text);
        if (domain is null)
        {
            int bang, percent;
            if (_s.SwapBangpath && (bang = local.IndexOf('!')) >= 0)
                text = local[(bang + 1)..] + "@" + local[..bang];
            else if (_s.AllowPercentHack && (percent = local.LastIndexOf('%')) >= 0)
                text = string.Concat(local.AsSpan(0, percent), "@", local.AsSpan(percent + 1));
            else if (_s.MyOrigin.Length > 0)
                text = local + "@" + _s.MyOrigin;
        }
        if (text.Length >= 2 && text[^1] == '.' && text[^2] is not '.' and not '@')
            text = text[..^1];
        return text;
    }

    private async ValueTask<string> MapOneToOneAsync(IReadOnlyList<ILookupTable> maps, string name, string address,
        CancellationToken ct)
    {
        if (maps.Count == 0)
            return address;
        for (var round = 0; round < CanonicalRecursion; round++)
        {
            var mapped = await MapAsync(maps, name, address, _s.PropagateCanonical, ct);
            if (mapped is null)
                return address;
            if (mapped.Count > 1)
                _log($"warning: multi-valued {name} entry for {address}");
            var previous = address;
            address = mapped[0];
            if (address.Equals(previous, StringComparison.OrdinalIgnoreCase))
                return address;
        }
        _log($"warning: {name}: exceeded {CanonicalRecursion} iterations for {address}");
        return address;
    }

    private async ValueTask<IReadOnlyList<string>> ExpandVirtualAliasesAsync(string address, CancellationToken ct)
    {
        if (_s.VirtualAliasMaps.Count == 0)
            return [address];
        var list = new List<string> { address };
        var beenHere = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < list.Count; i++)
        {
            if (list.Count > _s.VirtualAliasExpansionLimit)
                throw AliasError($"unreasonable virtual_alias_maps map expansion size for {address}");
            for (var depth = 0; ; depth++)
            {
                if (beenHere.Contains(list[i]))
                    break;
                if (depth >= _s.VirtualAliasRecursionLimit)
                    throw AliasError($"unreasonable virtual_alias_maps map nesting for {address}");
                var lhs = list[i];
                var mapped = await MapAsync(_s.VirtualAliasMaps, "virtual_alias_maps", lhs, _s.PropagateVirtual, ct);
                if (mapped is null || mapped.Count == 0)
                    break;
                list[i] = mapped[0];
                list.AddRange(mapped.Skip(1));
                // An address may expand into itself once; it is then delivered as is.
                if (mapped.Any(m => m.Equals(lhs, StringComparison.OrdinalIgnoreCase)))
                    beenHere.Add(lhs);
            }
        }
        // cleanup's duplicate filter: each recipient once.
        return list.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>mail_addr_map: look up, prepend the user to "@domain" results, canonicalize, propagate the extension.</summary>
    private async ValueTask<List<string>?> MapAsync(IReadOnlyList<ILookupTable> maps, string name, string address,
        bool propagate, CancellationToken ct)
    {
        MailAddressFinder.Found? found;
        try
        {
            found = await _finder.FindAsync(maps, address, AddressLookupStrategy.Default, ct);
        }
        catch (TableLookupException e)
        {
            throw new AddressRewriteException(new SmtpReply(451, "4.3.0", "Error: queue file write error"),
                $"warning: {name} lookup error for {address}: {e.Message}", e);
        }
        if (found is not { } f)
            return null;
        var value = f.Value;
        if (value.StartsWith('@'))
        {
            var local = AddressText.Split(address).Local;
            if (f.Extension is not null && local.EndsWith(f.Extension, StringComparison.Ordinal))
                local = local[..^f.Extension.Length];
            value = local + value;
        }
        var result = new List<string>();
        foreach (var token in ConfigList.Split(value))
        {
            if (!SmtpPathParser.TryExtract(token, allowEmpty: false, out var item))
                continue;
            item = CanonicalForm(item);
            if (propagate && f.Extension is not null)
            {
                var at = item.LastIndexOf('@');
                item = at < 0 ? item + f.Extension : item[..at] + f.Extension + item[at..];
            }
            result.Add(item);
        }
        return result;
    }

    private AddressRewriteException AliasError(string log)
    {
        _log($"warning: {log} -- message not accepted, try again later");
        return new AddressRewriteException(new SmtpReply(451, "4.6.0", "Error: Alias expansion error"), log);
    }
}

/// <summary>What cleanup's rewriting reads from main.cf (tables already opened).</summary>
public sealed record AddressRewriterSettings
{
    public required string MyOrigin { get; init; }
    public IReadOnlyList<ILookupTable> CanonicalMaps { get; init; } = [];
    public IReadOnlyList<ILookupTable> SenderCanonicalMaps { get; init; } = [];
    public IReadOnlyList<ILookupTable> RecipientCanonicalMaps { get; init; } = [];
    public IReadOnlyList<ILookupTable> VirtualAliasMaps { get; init; } = [];
    public int VirtualAliasRecursionLimit { get; init; } = 1000;
    public int VirtualAliasExpansionLimit { get; init; } = 1000;
    /// <summary>propagate_unmatched_extensions contains "canonical" (default yes).</summary>
    public bool PropagateCanonical { get; init; } = true;
    /// <summary>propagate_unmatched_extensions contains "virtual" (default yes).</summary>
    public bool PropagateVirtual { get; init; } = true;
    public bool SwapBangpath { get; init; } = true;
    public bool AllowPercentHack { get; init; } = true;
}

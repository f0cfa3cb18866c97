using System.Net;
using Mta.Config.Tables;

namespace Mta.Smtp.Policy;

/// <summary>
/// trivial-rewrite's resolve_addr() as far as relay decisions need it. Starting from the internal form it strips
/// every local domain (mydestination, or an address literal of one of our interfaces), then undoes sender-specified
/// routing in what remains: "user%domain" (allow_percent_hack), "site!user" (swap_bangpath), and routing operators
/// hidden in a quoted local part (resolve_dequoted_address), until a remote domain or a plain local user is left.
/// Whatever routing operators survive in the local part set <see cref="ResolveFlags.Routed"/>, which
/// permit_auth_destination refuses with allow_untrusted_routing = no. This is what keeps every address trick
/// (user%remote@local, remote!user@local, "user@remote"@local, @local:user@remote, user@remote.@local) from
/// turning into an open relay.
/// </summary>
public sealed class AddressResolver
{
    private readonly ResolverSettings _settings;

    public AddressResolver(ResolverSettings settings) => _settings = settings;

    public async ValueTask<ResolvedAddress> ResolveAsync(string address, CancellationToken cancellationToken = default)
    {
        var s = _settings;
        var (local, domain) = AddressText.Split(address);
        var quoted = AddressText.NeedsQuoting(local) && local.Length > 0;
        string? savedDomain = null;
        var loopMax = address.Length + 100;
        for (var loop = 0; ; loop++)
        {
            if (loop > loopMax)
                throw new TableLookupException("resolve", $"<{address}>: giving up after {loop} iterations");

            if (domain is not null)
            {
                // Strip a trailing dot at the end of the domain, but not dot-dot or at-dot.
                if (domain.Length >= 2 && domain[^1] == '.' && domain[^2] != '.')
                    domain = domain[..^1];
                if (domain.Length == 0 && s.ResolveNullDomain)
                    domain = null;
            }
            if (domain is not null)
            {
                if (domain.Length > 0 && !await IsLocalAsync(domain, cancellationToken).ConfigureAwait(false))
                    break;
                savedDomain = domain;
                domain = null;
            }

            // After stripping the local domain: user%domain -> user@domain, site!user -> user@site, and retry.
            if (!quoted && ((s.SwapBangpath && local.Contains('!')) || (s.AllowPercentHack && local.Contains('%'))))
            {
                (local, domain, quoted) = RewriteLocalContext(local);
                continue;
            }

            // Crack open a quoted local part that hides routing operators.
            if (quoted && s.ResolveDequoted)
            {
                var oper = local.LastIndexOf('@');
                if (oper < 0 && s.AllowPercentHack) oper = local.LastIndexOf('%');
                if (oper < 0 && s.SwapBangpath) oper = local.LastIndexOf('!');
                if (oper >= 0)
                {
                    if (local[oper] == '%')
                        local = string.Concat(local.AsSpan(0, oper), "@", local.AsSpan(oper + 1));
                    (local, domain, quoted) = RewriteLocalContext(local);
                    continue;
                }
            }

            // An empty local part (also an empty quoted string) becomes the local MAILER-DAEMON.
            if (local.Length == 0)
            {
                (local, domain) = AddressText.Split(s.EmptyAddressRecipient);
                quoted = AddressText.NeedsQuoting(local) && local.Length > 0;
                continue;
            }

            // No domain at all: re-resolve with @$myhostname.
            if (savedDomain is null)
            {
                domain = s.MyHostname;
                continue;
            }
            break;
        }

        var isLocal = domain is null;
        var recipient = local + "@" + (domain ?? savedDomain);
        var rcptDomain = domain ?? savedDomain!;
        var flags = ResolveFlags.None;
        if (rcptDomain.StartsWith('['))
        {
            if (!AddressText.TryParseAddressLiteral(rcptDomain, out _))
                flags |= ResolveFlags.Error;
        }
        else if (!AddressText.IsValidHostname(rcptDomain))
        {
            if (s.ResolveNumericDomain && AddressText.IsValidHostAddress(rcptDomain))
            {
                rcptDomain = "[" + rcptDomain + "]";
                recipient = local + "@" + rcptDomain;
                if (await IsLocalAsync(rcptDomain, cancellationToken).ConfigureAwait(false))
                    isLocal = true;
            }
            else
            {
                flags |= ResolveFlags.Error;
            }
        }
        if ((flags & ResolveFlags.Error) != 0)
            return new ResolvedAddress(recipient, AddressClass.Default, flags);

        // Routing operators left in the local part, whatever our own percent/bang settings: the next hop may honour them.
        var first = recipient.IndexOfAny(['@', '!', '%']);
        if (!recipient.AsSpan(first + 1).SequenceEqual(rcptDomain))
            flags |= ResolveFlags.Routed;

        if (isLocal)
            return new ResolvedAddress(recipient, AddressClass.Local, flags);
        var cls = await s.VirtualAliasDomains.MatchesAsync(rcptDomain, cancellationToken).ConfigureAwait(false) ? AddressClass.VirtualAlias
            : await s.VirtualMailboxDomains.MatchesAsync(rcptDomain, cancellationToken).ConfigureAwait(false) ? AddressClass.VirtualMailbox
            : await s.RelayDomains.MatchesAsync(rcptDomain, cancellationToken).ConfigureAwait(false) ? AddressClass.Relay
            : AddressClass.Default;
        return new ResolvedAddress(recipient, cls, flags);
    }

    /// <summary>resolve_local(3): mydestination, or an address literal naming one of our interfaces.</summary>
    public async ValueTask<bool> IsLocalAsync(string domain, CancellationToken cancellationToken = default)
    {
        var d = domain;
        if (d.Length == 0)
            return false;
        if (d[^1] == '.')
            d = d[..^1];
        if (d.Length == 0 || d[^1] == '.')
            return false;
        if (await _settings.MyDestination.MatchesAsync(d, cancellationToken).ConfigureAwait(false))
            return true;
        if (d.StartsWith('[') && AddressText.TryParseAddressLiteral(d, out var literal))
            return _settings.InterfaceAddresses.Any(a => IpNetwork.Normalize(a).Equals(IpNetwork.Normalize(literal)));
        return false;
    }

    // rewrite_tree() in the "local" context for a local part without a (token-level) '@': strip a source route,
    // swap site!user, promote user%domain, or append @$myorigin; then strip a trailing dot.
    private (string Local, string? Domain, bool Quoted) RewriteLocalContext(string text)
    {
        var s = _settings;
        if (text.StartsWith('@'))
        {
            var colon = text.IndexOf(':');
            if (colon >= 0 && colon < text.Length - 1)
                text = text[(colon + 1)..];
        }
        if (!text.Contains('@'))
        {
            int bang, percent;
            if (s.SwapBangpath && (bang = text.IndexOf('!')) >= 0)
                text = text[(bang + 1)..] + "@" + text[..bang];
            else if (s.AllowPercentHack && (percent = text.LastIndexOf('%')) >= 0)
                text = string.Concat(text.AsSpan(0, percent), "@", text.AsSpan(percent + 1));
            else if (s.MyOrigin.Length > 0)
                text = text + "@" + s.MyOrigin;
        }
        var (local, domain) = AddressText.Split(text);
        if (domain is { Length: >= 2 } && domain[^1] == '.' && domain[^2] != '.')
            domain = domain[..^1];
        return (local, domain, AddressText.NeedsQuoting(local) && local.Length > 0);
    }
}

/// <summary>What the resolver reads from main.cf.</summary>
public sealed record ResolverSettings
{
    public required string MyHostname { get; init; }
    public required string MyOrigin { get; init; }
    public required DomainMatchList MyDestination { get; init; }
    public DomainMatchList RelayDomains { get; init; } = DomainMatchList.Empty("relay_domains");
    public DomainMatchList VirtualAliasDomains { get; init; } = DomainMatchList.Empty("virtual_alias_domains");
    public DomainMatchList VirtualMailboxDomains { get; init; } = DomainMatchList.Empty("virtual_mailbox_domains");

    /// <summary>inet_interfaces and proxy_interfaces as addresses ("all" expands to the host's own addresses).</summary>
    public IReadOnlyList<IPAddress> InterfaceAddresses { get; init; } = [];

    public bool SwapBangpath { get; init; } = true;
    public bool AllowPercentHack { get; init; } = true;
    public bool ResolveDequoted { get; init; } = true;
    public bool ResolveNullDomain { get; init; }
    public bool ResolveNumericDomain { get; init; }
    public string EmptyAddressRecipient { get; init; } = "MAILER-DAEMON";
}

using Mta.Config.Tables;
using Mta.Smtp.Policy;

namespace Mta.Delivery.Routing;

/// <summary>
/// transport_maps as trivial-rewrite's transport_lookup() reads them (transport(5)): the resolved recipient
/// "user+ext@domain", then "user@domain" (recipient_delimiter), then "domain" and its parents (".parent" unless
/// transport_maps is in parent_domain_matches_subdomains, then "parent"), and only when no table knows any of
/// those, the "*" wildcard. Partial keys go to fixed-string tables only; regexp/pcre tables see the full address.
/// </summary>
public sealed class TransportTable
{
    private const string Wildcard = "*";
    private readonly IReadOnlyList<ILookupTable> _maps;
    private readonly MailAddressFinder _finder;
    private readonly AddressLookupStrategy _strategy;

    public TransportTable(IReadOnlyList<ILookupTable> maps, MailAddressFinder finder, bool parentStyle)
    {
        _maps = maps;
        _finder = finder;
        _strategy = AddressLookupStrategy.Full | AddressLookupStrategy.NoExtension | AddressLookupStrategy.Domain
                    | (parentStyle ? AddressLookupStrategy.ParentDomains : AddressLookupStrategy.ParentDotDomains);
    }

    public bool IsEmpty => _maps.Count == 0;

    /// <summary>
    /// Applies the matching entry to the class's choice; returns the choice unchanged when nothing matched.
    /// Table failures propagate as <see cref="TableLookupException"/>.
    /// </summary>
    public async ValueTask<TransportChoice> LookupAsync(string recipient, string recipientDomain, TransportChoice current,
        CancellationToken cancellationToken)
    {
        if (_maps.Count == 0)
            return current;
        if (await _finder.FindAsync(_maps, recipient, _strategy, cancellationToken).ConfigureAwait(false) is { } found)
            return Apply(found.Value, recipientDomain, current);
        if (await MailAddressFinder.MapsFindAsync(_maps, Wildcard, partial: false, cancellationToken).ConfigureAwait(false)
            is { } wildcard)
            return Apply(wildcard, recipientDomain, current);
        return current;
    }

    /// <summary>
    /// update_entry(): "transport:nexthop" split at the first ':'. An empty transport keeps the current one and
    /// changes the nexthop only when one is given (":" alone changes nothing). A transport without a nexthop resets
    /// the nexthop to the recipient domain, or for error/retry to "Address is undeliverable", so a main.cf nexthop
    /// (relayhost, "local:$myhostname") never leaks into a transport it was not written for.
    /// </summary>
    public static TransportChoice Apply(string value, string recipientDomain, TransportChoice current)
    {
        var colon = value.IndexOf(':');
        var transport = colon < 0 ? value : value[..colon];
        var nexthop = colon < 0 ? "" : value[(colon + 1)..];
        if (transport.Length == 0)
            return nexthop.Length == 0 ? current : current with { Nexthop = nexthop };
        if (nexthop.Length > 0)
            return new TransportChoice(transport, nexthop);
        return new TransportChoice(transport,
            transport is TransportChoice.Error or TransportChoice.Retry ? "Address is undeliverable" : recipientDomain);
    }
}

/// <summary>A master.cf service name and the nexthop it is given (a destination, or the reason for error/retry).</summary>
public readonly record struct TransportChoice(string Transport, string Nexthop)
{
    public const string Error = "error";
    public const string Retry = "retry";
}

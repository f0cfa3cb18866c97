using Mta.Config;
using Mta.Config.Tables;
using Mta.Smtp.Policy;

namespace Mta.Delivery.Routing;

/// <summary>
/// trivial-rewrite(8)'s resolve service as the queue manager calls it (resolve.c, transport.c, and qmgr's handling of
/// the reply). A recipient is brought to canonical form first (<see cref="CanonicalAddress"/>, cleanup's job),
/// classified by <see cref="AddressResolver"/> (local, virtual alias, virtual mailbox, relay, default), given its
/// class's transport and nexthop (relayhost for relay/default, a "transport:nexthop" main.cf value winning over both),
/// then transport_maps and relocated_maps may override that. Resolver failures come back as the retry service
/// ("4.3.0 address resolver failure") and malformed addresses as the error service ("5.1.3 bad address syntax"),
/// exactly what qmgr would hand its delivery agents.
/// </summary>
public sealed class TrivialRewriteRouter : IRecipientRouter
{
    private const string ResolverFailure = "4.3.0 address resolver failure";
    private const string BadSyntax = "5.1.3 bad address syntax";

    private readonly RoutingSettings _s;
    private readonly AddressResolver _resolver;
    private readonly CanonicalAddress _canonical;
    private readonly TransportTable _transports;
    private readonly IReadOnlyList<ILookupTable> _relocated;
    private readonly MailAddressFinder _finder;
    private readonly Action<string> _log;

    /// <param name="log">Receives Postfix's warning lines ("warning: transport_maps lookup failure", ...).</param>
    /// <exception cref="ConfigException">A table named in the settings cannot be opened.</exception>
    public TrivialRewriteRouter(RoutingSettings settings, LookupTableFactory? tables = null, Action<string>? log = null)
    {
        _s = settings;
        _log = log ?? (_ => { });
        tables ??= LookupTableFactory.Shared;
        // Inside resolve, rewrite_tree appends @$myorigin only when append_at_myorigin allows it.
        var resolverSettings = settings.Resolver with { MyOrigin = settings.AppendAtMyorigin ? settings.MyOrigin : "" };
        _resolver = new AddressResolver(resolverSettings);
        _finder = new MailAddressFinder(settings.RecipientDelimiter, settings.MyOrigin,
            (domain, ct) => _resolver.IsLocalAsync(domain, ct));
        _canonical = new CanonicalAddress(settings);
        try
        {
            _transports = new TransportTable(settings.TransportMaps.Select(r => tables.Open(r)).ToArray(), _finder,
                settings.TransportMapsParentStyle);
            _relocated = settings.RelocatedMaps.Select(r => tables.Open(r)).ToArray();
        }
        catch (TableLookupException e)
        {
            throw new ConfigException(e.Message);
        }
    }

    /// <summary>Binds the settings from main.cf once and opens the tables (Postfix's resolve_init).</summary>
    /// <exception cref="ConfigException">A list or table is unusable.</exception>
    public static TrivialRewriteRouter From(ParameterSet parameters) => From(parameters, null, null);

    /// <inheritdoc cref="From(ParameterSet)"/>
    public static TrivialRewriteRouter From(ParameterSet parameters, LookupTableFactory? tables, Action<string>? log)
    {
        tables ??= LookupTableFactory.Shared;
        return new TrivialRewriteRouter(RoutingSettingsBinder.Bind(parameters, tables), tables, log);
    }

    public async ValueTask<Route> RouteAsync(string recipient, CancellationToken cancellationToken)
    {
        var canonical = _canonical.Rewrite(recipient);
        ResolvedAddress resolved;
        try
        {
            resolved = await _resolver.ResolveAsync(canonical, cancellationToken).ConfigureAwait(false);
        }
        catch (TableLookupException e)
        {
            _log($"warning: {e.Message}");
            return new Route(TransportChoice.Retry, ResolverFailure, canonical);
        }
        var address = resolved.Recipient;
        if (resolved.IsError)
            return new Route(TransportChoice.Error, BadSyntax, address);

        var (choice, blame) = ClassChoice(resolved);
        var colon = choice.Transport.IndexOf(':');
        if (colon >= 0)
        {
            // An explicit main.cf "transport:nexthop" beats relayhost and the recipient domain.
            var nexthop = choice.Transport[(colon + 1)..];
            choice = new TransportChoice(choice.Transport[..colon], nexthop.Length > 0 ? nexthop : choice.Nexthop);
        }
        if (choice.Transport.Length == 0)
        {
            _log($"warning: file {_s.ConfigDirectory}/main.cf: parameter {blame}: null transport is not allowed");
            return new Route(TransportChoice.Retry, ResolverFailure, address);
        }

        try
        {
            // transport_maps never overrides the virtual alias class's "User unknown".
            if (resolved.Class != AddressClass.VirtualAlias)
                choice = await _transports.LookupAsync(address, resolved.Domain, choice, cancellationToken).ConfigureAwait(false);
        }
        catch (TableLookupException e)
        {
            return Failure("transport_maps", e, address);
        }
        try
        {
            if (await RelocatedAsync(address, cancellationToken).ConfigureAwait(false) is { } moved)
                choice = moved;
        }
        catch (TableLookupException e)
        {
            return Failure("relocated_maps", e, address);
        }

        // An address that starts with '-' could pass as a command-line option to a pipe(8) command.
        if (!_s.AllowMinUser && address.StartsWith('-'))
            return new Route(TransportChoice.Error, BadSyntax, address);
        return new Route(choice.Transport, choice.Nexthop, address);
    }

    /// <summary>The class's transport and nexthop before any main.cf nexthop or transport_maps, and the parameter to blame.</summary>
    private (TransportChoice Choice, string Blame) ClassChoice(ResolvedAddress resolved)
    {
        var domain = resolved.Domain;
        var offHost = _s.Relayhost.Length > 0 ? _s.Relayhost : domain;
        return resolved.Class switch
        {
            AddressClass.Local => (new TransportChoice(_s.LocalTransport, domain), "local_transport"),
            // cleanup already expanded virtual_alias_maps, so a recipient still in such a domain is unknown.
            AddressClass.VirtualAlias => (new TransportChoice(TransportChoice.Error,
                "5.1.1 User unknown" + (_s.ShowUserUnknownTableName ? " in virtual alias table" : "")), "virtual_alias_domains"),
            AddressClass.VirtualMailbox => (new TransportChoice(_s.VirtualTransport, domain), "virtual_transport"),
            AddressClass.Relay => (new TransportChoice(_s.RelayTransport, offHost), "relay_transport"),
            _ => (new TransportChoice(_s.DefaultTransport, offHost), "default_transport"),
        };
    }

    /// <summary>
    /// relocated_maps (mail_addr_find's default order, extensions ignored): the error service with "5.1.6 User has
    /// moved to ..." or, with relocated_prefix_enable = no, the table's own "X.Y.Z text"; null when not listed.
    /// </summary>
    private async ValueTask<TransportChoice?> RelocatedAsync(string address, CancellationToken ct)
    {
        if (_relocated.Count == 0
            || await _finder.FindAsync(_relocated, address, AddressLookupStrategy.Default, ct).ConfigureAwait(false)
                is not { Value: var reply })
            return null;
        if (_s.RelocatedPrefixEnable)
            return new TransportChoice(TransportChoice.Error, "5.1.6 User has moved to " + reply);
        if (DsnText.Split(reply) is { Text.Length: > 0 } split)
            return new TransportChoice(TransportChoice.Error, split.Status + " " + split.Text);
        _log($"warning: relocated_maps result must contain RFC 3463 status and text: '{Truncate(reply, 100)}'");
        return new TransportChoice(TransportChoice.Error, "5.2.0 Mailbox is unavailable");
    }

    /// <summary>A table could not answer: log as Postfix does, and let qmgr defer the recipient.</summary>
    private Route Failure(string parameter, TableLookupException e, string address)
    {
        _log($"warning: {e.Message}");
        _log($"warning: {parameter} lookup failure");
        return new Route(TransportChoice.Retry, ResolverFailure, address);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}

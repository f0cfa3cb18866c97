using System.Runtime.CompilerServices;
using Mta.Config;
using Mta.Config.Lists;
using Mta.Config.Tables;

namespace Mta.Smtp.Policy;

/// <summary>
/// smtpd's access policy, Postfix's smtpd_check.c: the restriction lists (client, helo, sender, relay, recipient,
/// data, end-of-data, etrn) with smtpd_delay_reject, the relay decision, access maps, recipient validation, and
/// cleanup's address rewriting. Replies and texts are Postfix's. One instance serves every session; per-session
/// transaction flags (HOLD, DISCARD, ...) are kept beside the <see cref="SessionInfo"/>.
/// </summary>
public sealed partial class SmtpdPolicy : ISmtpPolicy
{
    private const string ClientClass = "Client host";
    private const string ReverseClientClass = "Unverified Client host";
    private const string HeloClass = "Helo command";
    private const string SenderClass = "Sender address";
    private const string RecipientClass = "Recipient address";
    private const string EtrnClass = "Etrn command";
    private const string DataClass = "Data command";
    private const string EndOfDataClass = "End-of-data";

    private readonly SmtpdPolicySettings _s;
    private readonly LookupTableFactory _tables;
    private readonly IDomainResolver _dns;
    private readonly Action<string> _log;
    private readonly NetworkMatchList _myNetworks;
    private readonly MailAddressFinder _finder;
    private readonly AddressLookupStrategy _accessStrategy;
    private readonly bool _accessParentStyle;
    private readonly IReadOnlyList<string> _client, _helo, _sender, _relay, _recipient, _data, _endOfData, _etrn;
    private readonly Dictionary<string, IReadOnlyList<string>> _classes = new(StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlyList<ILookupTable> _localRcptMaps, _virtualAliasMaps, _virtualMailboxMaps, _relayRcptMaps;
    private readonly IReadOnlyList<ILookupTable> _canonicalMaps, _senderCanonicalMaps, _recipientCanonicalMaps;
    private readonly ConditionalWeakTable<SessionInfo, SessionPolicyState> _sessions = new();

    /// <param name="log">Receives log lines Postfix's smtpd writes itself from smtpd_check (reject_warning, warn, info,
    /// hold, discard, filter, redirect, bcc lines and "warning: ..." texts); smtpd writes the reject lines.</param>
    /// <exception cref="ConfigException">A list or table is unusable, or relaying is unrestricted (the mandatory relay guard).</exception>
    public SmtpdPolicy(SmtpdPolicySettings settings, LookupTableFactory? tables = null, IDomainResolver? dns = null,
        Action<string>? log = null)
    {
        _s = settings;
        _tables = tables ?? LookupTableFactory.Shared;
        _dns = dns ?? new SystemDnsDomainResolver();
        _log = log ?? (_ => { });
        if (RelayGuard.Check(settings.SmtpdRelayRestrictions, settings.SmtpdRecipientRestrictions,
                settings.SmtpdRestrictionClasses) is { } fatal)
            throw new ConfigException(fatal);
        try
        {
            var parents = ConfigList.Split(settings.ParentDomainMatchesSubdomains)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            _accessParentStyle = parents.Contains("smtpd_access_maps");
            _accessStrategy = AddressLookupStrategy.Full | AddressLookupStrategy.NoExtension | AddressLookupStrategy.Domain
                              | AddressLookupStrategy.LocalPartAt
                              | (_accessParentStyle ? AddressLookupStrategy.ParentDomains : AddressLookupStrategy.ParentDotDomains);
            _myNetworks = NetworkMatchList.Parse("mynetworks", settings.MyNetworks, parents.Contains("mynetworks"), _tables);
            Resolver = new AddressResolver(PolicySettingsBinder.BindResolver(settings, _tables));
            _finder = new MailAddressFinder(settings.RecipientDelimiter, settings.MyOrigin ?? settings.MyHostname,
                (d, ct) => Resolver.IsLocalAsync(d, ct));
            _client = Restrictions(settings.SmtpdClientRestrictions);
            _helo = Restrictions(settings.SmtpdHeloRestrictions);
            _sender = Restrictions(settings.SmtpdSenderRestrictions);
            _relay = Restrictions(settings.SmtpdRelayRestrictions);
            _recipient = Restrictions(settings.SmtpdRecipientRestrictions);
            _data = Restrictions(settings.SmtpdDataRestrictions);
            _endOfData = Restrictions(settings.SmtpdEndOfDataRestrictions);
            _etrn = Restrictions(settings.SmtpdEtrnRestrictions);
            foreach (var (name, value) in settings.SmtpdRestrictionClasses)
                _classes[name] = Restrictions(value);
            _localRcptMaps = Maps(settings.LocalRecipientMaps, ConfigList.Split(settings.AliasMaps));
            _virtualAliasMaps = Maps(settings.VirtualAliasMaps);
            _virtualMailboxMaps = Maps(settings.VirtualMailboxMaps);
            _relayRcptMaps = Maps(settings.RelayRecipientMaps);
            _canonicalMaps = Maps(settings.CanonicalMaps);
            _senderCanonicalMaps = Maps(settings.SenderCanonicalMaps);
            _recipientCanonicalMaps = Maps(settings.RecipientCanonicalMaps);
        }
        catch (TableLookupException e)
        {
            throw new ConfigException(e.Message);
        }
    }

    /// <summary>The address resolver (trivial-rewrite's resolve) this policy decides relaying with.</summary>
    public AddressResolver Resolver { get; }

    /// <summary>What access maps asked for the current transaction (HOLD, DISCARD, FILTER, REDIRECT, BCC, PREPEND).</summary>
    public SessionPolicyState MessageActions(SessionInfo session) => _sessions.GetValue(session, _ => new SessionPolicyState());

    public PolicyMessageActions SavedMessageActions(SessionInfo session)
    {
        var saved = MessageActions(session);
        return saved is { Hold: false, Discard: false, Filter: null, Redirect: null, Prepend.Count: 0 }
            ? PolicyMessageActions.None
            : new PolicyMessageActions(saved.Hold, saved.Discard, saved.Filter, saved.Redirect, [.. saved.Prepend]);
    }

    /// <summary>permit_mynetworks for a client (also used for smtpd_client_event_limit_exceptions-style decisions).</summary>
    public ValueTask<bool> IsInMyNetworksAsync(SessionInfo session, CancellationToken cancellationToken = default) =>
        _myNetworks.MatchesAsync(session.ClientAddress, session.ClientName, cancellationToken);

    private IReadOnlyList<string> Restrictions(string value)
    {
        var list = ConfigList.Split(value);
        // Open every table now, so a missing file is a start-up error as in Postfix, not a 451 later.
        for (var i = 0; i < list.Count; i++)
        {
            if (IsMapCommand(list[i]) && i + 1 < list.Count)
                _tables.Open(list[++i]);
            else if (LookupTableFactory.TryParseReference(list[i], out _, out _))
                _tables.Open(list[i]);
        }
        return list;
    }

    private IReadOnlyList<ILookupTable> Maps(string value, IReadOnlyList<string>? aliasTables = null) =>
        ConfigList.Split(value)
            .Select(r => aliasTables?.Contains(r, StringComparer.Ordinal) == true
                ? _tables.Open(r, TableOpenOptions.Default with { AliasSyntax = true })
                : _tables.Open(r))
            .ToArray();

    private static bool IsMapCommand(string name) =>
        name.StartsWith("check_", StringComparison.OrdinalIgnoreCase)
        && name.EndsWith("_access", StringComparison.OrdinalIgnoreCase);
}

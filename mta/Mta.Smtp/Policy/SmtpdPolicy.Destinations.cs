using Mta.Config.Tables;

namespace Mta.Smtp.Policy;

/// <summary>Relay decisions, recipient validation and the address/host name sanity restrictions.</summary>
public sealed partial class SmtpdPolicy
{
    private ValueTask<ResolvedAddress> ResolveAsync(string address, CancellationToken ct) => Resolver.ResolveAsync(address, ct);

    /// <summary>permit_auth_destination: OK for final (local/virtual) and relay_domains destinations without untrusted routing.</summary>
    private async ValueTask<CheckStatus> PermitAuthDestinationAsync(string recipient, CancellationToken ct)
    {
        var resolved = await ResolveAsync(recipient, ct);
        if (!_s.AllowUntrustedRouting && resolved.IsRouted)
            return CheckStatus.Dunno;
        return resolved.IsFinal || resolved.Class == AddressClass.Relay ? CheckStatus.Ok : CheckStatus.Dunno;
    }

    /// <summary>reject_unauth_destination / defer_unauth_destination: "554 5.7.1 &lt;rcpt&gt;: Relay access denied".</summary>
    private async ValueTask<CheckStatus> RejectUnauthDestinationAsync(CheckState st, string recipient, int code, string dsn,
        CancellationToken ct)
    {
        if (await PermitAuthDestinationAsync(recipient, ct) == CheckStatus.Ok)
            return CheckStatus.Dunno;
        return Reject(st, ErrorClass.Policy, code, dsn, $"<{recipient}>: Relay access denied");
    }

    /// <summary>
    /// check_rcpt_maps: reject_unlisted_recipient / reject_unlisted_sender. An address that a canonical or virtual
    /// alias map knows is fine; otherwise the table of its address class must list it.
    /// </summary>
    private async ValueTask<CheckStatus> CheckRecipientMapsAsync(CheckState st, string address, string replyClass,
        CancellationToken ct)
    {
        var isSender = replyClass == SenderClass;
        if (isSender) st.SenderMapsChecked = true;
        else st.RecipientMapsChecked = true;

        var resolved = await ResolveAsync(address, ct);
        var rcpt = resolved.Recipient;
        if (await MatchesAsync(_recipientCanonicalMaps, rcpt, ct)
            || (isSender && await MatchesAsync(_senderCanonicalMaps, rcpt, ct))
            || await MatchesAsync(_canonicalMaps, rcpt, ct)
            || await MatchesAsync(_virtualAliasMaps, rcpt, ct))
            return CheckStatus.Dunno;

        var dsn = isSender ? "5.1.0" : "5.1.1";
        string Unknown(string table) => _s.ShowUserUnknownTableName ? $"User unknown in {table}" : "User unknown";
        CheckStatus RejectUnknown(int code, string table) =>
            Reject(st, ErrorClass.Bounce, code, dsn, $"<{address}>: {replyClass} rejected: {Unknown(table)}");

        switch (resolved.Class)
        {
            case AddressClass.VirtualAlias:
                return Reject(st, ErrorClass.Bounce, _s.UnknownVirtualAliasRejectCode, FixDsn("5.1.1", replyClass),
                    $"<{address}>: {replyClass} rejected: {Unknown("virtual alias table")}");
            case AddressClass.Local when _localRcptMaps.Count > 0:
                if (IsLeftOf(_s.DoubleBounceSender, rcpt) || IsLeftOf("postmaster", rcpt) || IsLeftOf("MAILER-DAEMON", rcpt))
                    return CheckStatus.Dunno;
                return await MatchesAsync(_localRcptMaps, rcpt, ct)
                    ? CheckStatus.Dunno : RejectUnknown(_s.UnknownLocalRecipientRejectCode, "local recipient table");
            case AddressClass.VirtualMailbox when _virtualMailboxMaps.Count > 0:
                return await MatchesAsync(_virtualMailboxMaps, rcpt, ct)
                    ? CheckStatus.Dunno : RejectUnknown(_s.UnknownVirtualMailboxRejectCode, "virtual mailbox table");
            case AddressClass.Relay when _relayRcptMaps.Count > 0:
                return await MatchesAsync(_relayRcptMaps, rcpt, ct)
                    ? CheckStatus.Dunno : RejectUnknown(_s.UnknownRelayRecipientRejectCode, "relay recipient table");
            default:
                return CheckStatus.Dunno;
        }
    }

    private async ValueTask<bool> MatchesAsync(IReadOnlyList<ILookupTable> maps, string address, CancellationToken ct) =>
        maps.Count > 0 && await _finder.FindAsync(maps, address, AddressLookupStrategy.Default, ct) is not null;

    private static bool IsLeftOf(string local, string address) =>
        address.Length > local.Length && address[local.Length] == '@'
        && address.StartsWith(local, StringComparison.OrdinalIgnoreCase);

    /// <summary>reject_non_fqdn_sender/recipient: "504 5.5.2 &lt;a&gt;: Sender address rejected: need fully-qualified address".</summary>
    private CheckStatus RejectNonFqdnAddress(CheckState st, string address, string replyName, string replyClass)
    {
        var domain = AddressText.DomainOf(address);
        if (domain.Length > 1 && domain[0] == '[' && domain[^1] == ']')
            return CheckStatus.Dunno;
        var test = AddressText.StripTrailingDot(domain);
        if (test.Length == 0 || !AddressText.IsValidHostname(test) || !test.Contains('.'))
            return Reject(st, ErrorClass.Policy, _s.NonFqdnRejectCode, "4.5.2",
                $"<{replyName}>: {replyClass} rejected: need fully-qualified address");
        return CheckStatus.Dunno;
    }

    /// <summary>reject_non_fqdn_helo_hostname: "504 5.5.2 &lt;h&gt;: Helo command rejected: need fully-qualified hostname".</summary>
    private CheckStatus RejectNonFqdnHostname(CheckState st, string name, string replyName, string replyClass)
    {
        var test = AddressText.StripTrailingDot(name);
        if (!AddressText.IsValidHostname(test) || !test.Contains('.'))
            return Reject(st, ErrorClass.Policy, _s.NonFqdnRejectCode, "5.5.2",
                $"<{replyName}>: {replyClass} rejected: need fully-qualified hostname");
        return CheckStatus.Dunno;
    }

    /// <summary>reject_invalid_helo_hostname: "501 5.5.2 &lt;h&gt;: Helo command rejected: Invalid name".</summary>
    private CheckStatus RejectInvalidHostname(CheckState st, string name, string replyName, string replyClass)
    {
        var test = AddressText.StripTrailingDot(name);
        if (!AddressText.IsValidHostname(test) && !AddressText.IsValidHostAddress(test))
            return Reject(st, ErrorClass.Policy, _s.InvalidHostnameRejectCode, "5.5.2",
                $"<{replyName}>: {replyClass} rejected: Invalid name");
        return CheckStatus.Dunno;
    }

    /// <summary>reject_invalid_hostaddr for "[...]" HELO arguments: "... rejected: invalid ip address".</summary>
    private CheckStatus RejectInvalidHostAddress(CheckState st, string literal, string replyName, string replyClass)
    {
        var inner = literal.Length > 2 && literal[0] == '[' && literal[^1] == ']' ? literal[1..^1] : literal;
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
            inner = inner[5..];
        if (!AddressText.IsValidHostAddress(inner))
            return Reject(st, ErrorClass.Policy, _s.InvalidHostnameRejectCode, "5.5.2",
                $"<{replyName}>: {replyClass} rejected: invalid ip address");
        return CheckStatus.Dunno;
    }

    /// <summary>reject_unknown_sender_domain / reject_unknown_recipient_domain: a remote domain must have MX or A/AAAA.</summary>
    private async ValueTask<CheckStatus> RejectUnknownAddressAsync(CheckState st, string address, string replyName,
        string replyClass, CancellationToken ct)
    {
        var resolved = await ResolveAsync(address, ct);
        var domain = resolved.Domain;
        if (resolved.IsFinal || domain.Length == 0 || (domain[0] == '[' && domain[^1] == ']'))
            return CheckStatus.Dunno;
        var isSender = replyClass == SenderClass;
        switch (await _dns.LookupMailHostAsync(domain, ct))
        {
            case DomainLookupStatus.Found:
                return CheckStatus.Dunno;
            case DomainLookupStatus.NullMx:
                return Reject(st, ErrorClass.Policy, isSender ? 550 : 556, isSender ? "4.7.27" : "4.1.10",
                    $"<{replyName}>: {replyClass} rejected: Domain {domain} does not accept mail (nullMX)");
            case DomainLookupStatus.NotFound:
                return Reject(st, ErrorClass.Policy, _s.UnknownAddressRejectCode, isSender ? "4.1.8" : "4.1.2",
                    $"<{replyName}>: {replyClass} rejected: Domain not found");
            default:
                return DeferIfPermit(st, TempfailPostpones, 450, isSender ? "4.1.8" : "4.1.2",
                    $"<{replyName}>: {replyClass} rejected: Domain not found");
        }
    }

    /// <summary>reject_unknown_helo_hostname: "450 4.7.1 &lt;h&gt;: Helo command rejected: Host not found".</summary>
    private async ValueTask<CheckStatus> RejectUnknownHostnameAsync(CheckState st, string name, string replyName,
        string replyClass, CancellationToken ct)
    {
        switch (await _dns.LookupMailHostAsync(AddressText.StripTrailingDot(name), ct))
        {
            case DomainLookupStatus.Found or DomainLookupStatus.NullMx:
                return CheckStatus.Dunno;
            case DomainLookupStatus.NotFound:
                return Reject(st, ErrorClass.Policy, _s.UnknownHostnameRejectCode, "4.7.1",
                    $"<{replyName}>: {replyClass} rejected: Host not found");
            default:
                return DeferIfPermit(st, TempfailPostpones, 450, "4.7.1", $"<{replyName}>: {replyClass} rejected: Host not found");
        }
    }
}

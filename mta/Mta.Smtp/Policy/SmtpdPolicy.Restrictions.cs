using System.Text;
using Mta.Config.Tables;

namespace Mta.Smtp.Policy;

/// <summary>generic_checks() and the reply machinery around it (smtpd_check_reject, defer_if, warn_if_reject).</summary>
public sealed partial class SmtpdPolicy
{
    private static readonly HashSet<string> TakesArgument = new(StringComparer.OrdinalIgnoreCase)
    {
        "sleep", "check_policy_service", "reject_rbl_client", "reject_rbl", "reject_rhsbl_client",
        "reject_rhsbl_reverse_client", "reject_rhsbl_helo", "reject_rhsbl_sender", "reject_rhsbl_recipient",
        "permit_dnswl_client", "permit_rhswl_client",
    };

    /// <summary>One restriction list with its own SMTPD_CHECK_RESET and setjmp.</summary>
    private async ValueTask<CheckStatus> RunListAsync(CheckState st, IReadOnlyList<string> list, string replyName,
        string replyClass, string? defaultAccessCheck, CancellationToken ct)
    {
        st.Reset();
        if (list.Count == 0)
            return CheckStatus.Dunno;
        return await GuardAsync(st, replyName, () => GenericChecksAsync(st, list, replyName, replyClass, defaultAccessCheck, ct));
    }

    /// <summary>Turns an abort into REJECT and a failed table lookup into "451 4.3.0 &lt;name&gt;: Temporary lookup failure".</summary>
    private async ValueTask<CheckStatus> GuardAsync(CheckState st, string replyName, Func<ValueTask<CheckStatus>> check)
    {
        try
        {
            return await check();
        }
        catch (CheckAbortedException)
        {
            return CheckStatus.Reject;
        }
        catch (TableLookupException e)
        {
            _log($"warning: {e.Message}");
            return Reject(st, ErrorClass.Data, 451, "4.3.0", $"<{replyName}>: Temporary lookup failure");
        }
    }

    private async ValueTask<CheckStatus> GenericChecksAsync(CheckState st, IReadOnlyList<string> list, string replyName,
        string replyClass, string? defaultAccessCheck, CancellationToken ct)
    {
        var savedRecursion = st.Recursion++;
        var status = CheckStatus.Dunno;
        for (var i = 0; i < list.Count; i++)
        {
            if (st.Discard)
                break;
            var name = list[i];
            string? argument = null;
            if (name.Equals("warn_if_reject", StringComparison.OrdinalIgnoreCase))
            {
                if (st.WarnIfReject == 0)
                    st.WarnIfReject = st.Recursion;
                continue;
            }
            if (name.Contains(':'))
            {
                // A bare table means "check_X_access table" for the list it appears in.
                if (defaultAccessCheck is null)
                {
                    _log($"warning: specify one of (check_client_access, check_reverse_client_hostname_access, check_helo_access, check_sender_access, check_recipient_access, check_etrn_access) before {replyClass} restriction \"{name}\"");
                    ServerError(st);
                }
                argument = name;
                name = defaultAccessCheck!;
            }
            else if (IsMapCommand(name) || TakesArgument.Contains(name))
            {
                if (i + 1 >= list.Count)
                {
                    _log($"warning: restriction {name} requires an argument");
                    ServerError(st);
                }
                argument = list[++i];
            }
            status = await OneRestrictionAsync(st, name.ToLowerInvariant(), argument, replyName, replyClass,
                defaultAccessCheck, ct);
            if (st.WarnIfReject >= st.Recursion)
                st.WarnIfReject = 0;
            if (status != CheckStatus.Dunno)
                break;
            if (st.DeferIfPermit.Active && st.DeferIfReject.Active)
                break;
        }
        st.Recursion = savedRecursion;
        if (st.WarnIfReject >= st.Recursion)
            st.WarnIfReject = 0;
        return status;
    }

    private async ValueTask<CheckStatus> OneRestrictionAsync(CheckState st, string name, string? arg, string replyName,
        string replyClass, string? defaultAccessCheck, CancellationToken ct)
    {
        var session = st.Session;
        var helo = session.HeloName;
        var sender = st.Sender;
        var recipient = st.Recipient;
        switch (name)
        {
            case "permit":
                return CheckStatus.Ok;
            case "defer":
                return Reject(st, ErrorClass.Policy, _s.DeferCode, "4.3.2", $"<{replyName}>: {replyClass} rejected: Try again later");
            case "reject":
                return Reject(st, ErrorClass.Policy, _s.RejectCode, "5.7.1", $"<{replyName}>: {replyClass} rejected: Access denied");
            case "defer_if_permit":
                return DeferIfPermit(st, true, 450, "4.7.0", $"<{replyName}>: {replyClass} rejected: defer_if_permit requested");
            case "defer_if_reject":
                st.DeferIfReject.Raise(ErrorClass.Policy, 450, "4.7.0", $"<{replyName}>: {replyClass} rejected: defer_if_reject requested");
                return CheckStatus.Dunno;
            case "sleep":
                if (!int.TryParse(arg, out var seconds) || seconds < 0)
                {
                    _log("warning: restriction sleep must be followed by number");
                    ServerError(st);
                }
                await Task.Delay(TimeSpan.FromSeconds(seconds), ct);
                return CheckStatus.Dunno;
            case "reject_plaintext_session":
                return session.TlsActive ? CheckStatus.Dunno
                    : Reject(st, ErrorClass.Policy, _s.PlaintextRejectCode, "4.7.1", "Session encryption is required");
            case "reject_unauth_pipelining":
                // smtpd enforces this itself (smtpd_forbid_unauth_pipelining) before any restriction runs.
                return CheckStatus.Dunno;

            // Client restrictions.
            case "reject_unknown_client_hostname" or "reject_unknown_client":
                return session.ClientName != "unknown" ? CheckStatus.Dunno
                    : Reject(st, ErrorClass.Policy, _s.UnknownClientRejectCode, "4.7.25",
                        $"Client host rejected: cannot find your hostname, [{SessionInfo.FormatAddress(session.ClientAddress)}]");
            case "reject_unknown_reverse_client_hostname":
                return session.ReverseClientName != "unknown" ? CheckStatus.Dunno
                    : Reject(st, ErrorClass.Policy, _s.UnknownClientRejectCode, "4.7.1",
                        $"Client host rejected: cannot find your reverse hostname, [{SessionInfo.FormatAddress(session.ClientAddress)}]");
            case "permit_inet_interfaces":
                return _s.InterfaceAddresses.Any(a => IpNetwork.Normalize(a).Equals(IpNetwork.Normalize(session.ClientAddress)))
                    ? CheckStatus.Ok : CheckStatus.Dunno;
            case "permit_mynetworks":
                return await _myNetworks.MatchesAsync(session.ClientAddress, session.ClientName, ct)
                    ? CheckStatus.Ok : CheckStatus.Dunno;
            case "permit_sasl_authenticated":
                return session.IsAuthenticated ? CheckStatus.Ok : CheckStatus.Dunno;
            case "check_client_access":
                return await CheckNameAddressAccessAsync(st, arg!, session.ClientName,
                    SessionInfo.FormatAddress(session.ClientAddress), session.ClientNameAddress, ClientClass, defaultAccessCheck, ct);
            case "check_reverse_client_hostname_access":
                return await CheckNameAddressAccessAsync(st, arg!, session.ReverseClientName,
                    SessionInfo.FormatAddress(session.ClientAddress), session.ReverseClientName, ReverseClientClass, defaultAccessCheck, ct);

            // HELO/EHLO restrictions.
            case "check_helo_access":
                return helo is null ? CheckStatus.Dunno
                    : (await CheckDomainAccessAsync(st, arg!, helo, helo, HeloClass, defaultAccessCheck, ct)).Status;
            case "reject_invalid_helo_hostname" or "reject_invalid_hostname":
                return helo is null ? CheckStatus.Dunno
                    : helo.StartsWith('[') ? RejectInvalidHostAddress(st, helo, helo, HeloClass)
                    : RejectInvalidHostname(st, helo, helo, HeloClass);
            case "reject_non_fqdn_helo_hostname" or "reject_non_fqdn_hostname":
                return helo is null ? CheckStatus.Dunno
                    : helo.StartsWith('[') ? RejectInvalidHostAddress(st, helo, helo, HeloClass)
                    : RejectNonFqdnHostname(st, helo, helo, HeloClass);
            case "reject_unknown_helo_hostname" or "reject_unknown_hostname":
                return helo is null ? CheckStatus.Dunno
                    : helo.StartsWith('[') ? RejectInvalidHostAddress(st, helo, helo, HeloClass)
                    : await RejectUnknownHostnameAsync(st, helo, helo, HeloClass, ct);

            // Sender restrictions.
            case "check_sender_access":
                if (sender is null) return CheckStatus.Dunno;
                return sender.Length > 0
                    ? await CheckMailAccessAsync(st, arg!, sender, sender, SenderClass, defaultAccessCheck, ct)
                    : (await CheckAccessAsync(st, arg!, _s.SmtpdNullAccessLookupKey, partial: false, sender, SenderClass, defaultAccessCheck, ct)).Status;
            case "reject_unknown_sender_domain" or "reject_unknown_address":
                return string.IsNullOrEmpty(sender) ? CheckStatus.Dunno
                    : await RejectUnknownAddressAsync(st, sender, sender, SenderClass, ct);
            case "reject_non_fqdn_sender":
                return string.IsNullOrEmpty(sender) ? CheckStatus.Dunno : RejectNonFqdnAddress(st, sender, sender, SenderClass);
            case "reject_unlisted_sender":
                return string.IsNullOrEmpty(sender) ? CheckStatus.Dunno : await CheckRecipientMapsAsync(st, sender, SenderClass, ct);

            // Recipient restrictions.
            case "check_recipient_access":
                return recipient is null ? CheckStatus.Dunno
                    : await CheckMailAccessAsync(st, arg!, recipient, recipient, RecipientClass, defaultAccessCheck, ct);
            case "permit_auth_destination":
                return recipient is not null && await PermitAuthDestinationAsync(recipient, ct) == CheckStatus.Ok
                    ? CheckStatus.Ok : CheckStatus.Dunno;
            case "reject_unauth_destination":
                return recipient is null ? CheckStatus.Dunno
                    : await RejectUnauthDestinationAsync(st, recipient, _s.RelayDomainsRejectCode, "5.7.1", ct);
            case "defer_unauth_destination":
                return recipient is null ? CheckStatus.Dunno
                    : await RejectUnauthDestinationAsync(st, recipient, _s.RelayDomainsRejectCode - 100, "4.7.1", ct);
            case "reject_unknown_recipient_domain":
                return recipient is null ? CheckStatus.Dunno
                    : await RejectUnknownAddressAsync(st, recipient, recipient, RecipientClass, ct);
            case "reject_non_fqdn_recipient":
                return recipient is null ? CheckStatus.Dunno : RejectNonFqdnAddress(st, recipient, recipient, RecipientClass);
            case "check_recipient_maps" or "reject_unlisted_recipient":
                return string.IsNullOrEmpty(recipient) ? CheckStatus.Dunno
                    : await CheckRecipientMapsAsync(st, recipient, RecipientClass, ct);
            case "reject_multi_recipient_bounce":
            {
                var count = st.RecipientCountOverride ?? st.Saved.RecipientCount;
                var threshold = st.Where == "RCPT" ? 0 : 1;
                return sender is { Length: 0 } && count > threshold
                    ? Reject(st, ErrorClass.Policy, _s.MultiRecipientBounceRejectCode, "5.5.3",
                        $"<{replyName}>: {replyClass} rejected: Multi-recipient bounce")
                    : CheckStatus.Dunno;
            }

            // ETRN.
            case "check_etrn_access":
                return st.EtrnDomain is null ? CheckStatus.Dunno
                    : (await CheckDomainAccessAsync(st, arg!, st.EtrnDomain, st.EtrnDomain, EtrnClass, defaultAccessCheck, ct)).Status;
        }

        if (_classes.TryGetValue(name, out var restrictionClass))
            return await GenericChecksAsync(st, restrictionClass, replyName, replyClass, defaultAccessCheck, ct);

        _log($"warning: unknown smtpd restriction: \"{name}\"");
        ServerError(st);
        return CheckStatus.Reject;
    }

    /// <summary>smtpd_check_reject: format, validate and record a rejection (or only log it under warn_if_reject).</summary>
    private CheckStatus Reject(CheckState st, ErrorClass errorClass, int code, string dsn, string text)
    {
        var warnOnly = st.WarnIfReject > 0 && errorClass is not (ErrorClass.Software or ErrorClass.Resource or ErrorClass.Data);
        if (code is < 400 or > 599 || !IsValidDsn(dsn))
        {
            _log($"warning: SMTP reply code configuration error: {code} {dsn} {text}");
            (code, dsn, text) = (450, "4.7.1", "Service unavailable");
        }
        var line = $"{code} {dsn} {text}";
        if (line.Length > 510)
            text = text[..Math.Max(0, text.Length - (line.Length - 510))];
        text = Printable(text);

        // An earlier temporary failure turns this rejection into a deferral with that earlier reason.
        if (!warnOnly && st.DeferIfReject.Active && code >= 500)
        {
            st.WarnIfReject = 0;
            st.DeferIfReject.Active = false;
            return ApplyDeferral(st, st.DeferIfReject);
        }
        if (_s.SoftBounce && code >= 500)
            code -= 100;
        // The DSN class follows the SMTP code.
        dsn = (char)('0' + code / 100) + dsn[1..];
        var reply = new SmtpReply(code, dsn, text);
        if (warnOnly)
        {
            LogWhatsup(st, "reject_warning", reply.ToString());
            return CheckStatus.Dunno;
        }
        st.Reply = reply;
        return CheckStatus.Reject;
    }

    private CheckStatus ApplyDeferral(CheckState st, PendingDeferral deferral) =>
        Reject(st, deferral.Class, deferral.Code, deferral.Dsn, deferral.Text);

    /// <summary>DEFER_IF_PERMIT: postpone as defer_if_permit unless warn_if_reject is on or the action is plain "defer".</summary>
    private CheckStatus DeferIfPermit(CheckState st, bool postpone, int code, string dsn, string text)
    {
        if (st.WarnIfReject == 0 && postpone)
        {
            st.DeferIfPermit.Raise(ErrorClass.Policy, code, dsn, text);
            return CheckStatus.Dunno;
        }
        return Reject(st, ErrorClass.Policy, code, dsn, text);
    }

    private bool TempfailPostpones => !_s.RejectTempfailAction.Equals("defer", StringComparison.OrdinalIgnoreCase);

    /// <summary>reject_server_error: "451 4.3.5 Server configuration error", leaving the list at once.</summary>
    private void ServerError(CheckState st)
    {
        Reject(st, ErrorClass.Software, 451, "4.3.5", "Server configuration error");
        throw new CheckAbortedException();
    }

    /// <summary>log_whatsup: "NOQUEUE: action: RCPT from host[addr]: text; from=&lt;s&gt; to=&lt;r&gt; proto=ESMTP helo=&lt;h&gt;".</summary>
    private void LogWhatsup(CheckState st, string action, string text)
    {
        var sb = new StringBuilder()
            .Append("NOQUEUE: ").Append(action).Append(": ").Append(st.Where).Append(" from ")
            .Append(st.Session.ClientNameAddress).Append(": ").Append(text).Append(';');
        if (st.Sender is not null) sb.Append(" from=<").Append(st.Sender).Append('>');
        if (st.Recipient is not null) sb.Append(" to=<").Append(st.Recipient).Append('>');
        sb.Append(" proto=").Append(st.Session.Protocol);
        if (st.Session.HeloName is not null) sb.Append(" helo=<").Append(st.Session.HeloName).Append('>');
        if (st.Session.SaslMethod is not null) sb.Append(" sasl_method=").Append(st.Session.SaslMethod);
        if (st.Session.SaslUsername is not null) sb.Append(" sasl_username=").Append(st.Session.SaslUsername);
        _log(sb.ToString());
    }

    /// <summary>dsn_valid(3): class 2, 4 or 5; subject and detail of 1-3 digits.</summary>
    internal static bool IsValidDsn(string dsn)
    {
        var parts = dsn.Split('.');
        return parts.Length == 3 && parts[0] is "2" or "4" or "5" && parts.Length == 3
               && parts[1].Length is >= 1 and <= 3 && parts[1].All(char.IsAsciiDigit)
               && parts[2].Length is >= 1 and <= 3 && parts[2].All(char.IsAsciiDigit);
    }

    private static string Printable(string text)
    {
        foreach (var c in text)
            if (c < ' ' || c == 0x7f)
                return new string(text.Select(ch => ch < ' ' || ch == 0x7f ? ' ' : ch).ToArray());
        return text;
    }
}

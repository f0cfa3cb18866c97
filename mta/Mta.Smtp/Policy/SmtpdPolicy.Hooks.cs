namespace Mta.Smtp.Policy;

/// <summary>The <see cref="ISmtpPolicy"/> hooks: when each restriction list runs (smtpd_check_client ... _data).</summary>
public sealed partial class SmtpdPolicy
{
    public async ValueTask<PolicyVerdict> CheckClientAsync(SessionInfo session, CancellationToken cancellationToken)
    {
        if (_s.SmtpdDelayReject)
            return PolicyVerdict.Permit;
        var st = NewState(session, "CONNECT");
        return Verdict(st, await ClientStageAsync(st, cancellationToken));
    }

    public async ValueTask<PolicyVerdict> CheckHeloAsync(SessionInfo session, string heloName, CancellationToken cancellationToken)
    {
        if (_s.SmtpdDelayReject)
            return PolicyVerdict.Permit;
        var st = NewState(session, session.Protocol == "ESMTP" ? "EHLO" : "HELO");
        return Verdict(st, await HeloStageAsync(st, heloName, cancellationToken));
    }

    public async ValueTask<PolicyVerdict> CheckSenderAsync(SessionInfo session, string sender, CancellationToken cancellationToken)
    {
        MessageActions(session).ResetTransaction();
        if (sender.Length > 0 && await SyntaxCheckAsync(sender, "5.1.7", "Bad sender address syntax", cancellationToken) is { } bad)
            return bad;
        if (_s.SmtpdDelayReject)
            return PolicyVerdict.Permit;
        var st = NewState(session, "MAIL");
        st.Sender = sender;
        return Verdict(st, await SenderStageAsync(st, cancellationToken));
    }

    public async ValueTask<PolicyVerdict> CheckRecipientAsync(SessionInfo session, string sender, string recipient,
        CancellationToken cancellationToken)
    {
        if (await SyntaxCheckAsync(recipient, "5.1.3", "Bad recipient address syntax", cancellationToken) is { } bad)
            return bad;
        var st = NewState(session, "RCPT");
        st.Sender = sender;
        var verdict = await RecipientChecksAsync(st, recipient, cancellationToken);
        if (verdict.IsPermit)
            MessageActions(session).RecipientCount++;
        return verdict;
    }

    public async ValueTask<PolicyVerdict> CheckVerifyAsync(SessionInfo session, string address, CancellationToken cancellationToken)
    {
        if (await SyntaxCheckAsync(address, "5.1.3", "Bad recipient address syntax", cancellationToken) is { } bad)
            return bad;
        var st = NewState(session, "VRFY");
        return await RecipientChecksAsync(st, address, cancellationToken);
    }

    public async ValueTask<PolicyVerdict> CheckEtrnAsync(SessionInfo session, string domain, CancellationToken cancellationToken)
    {
        var st = NewState(session, "ETRN");
        if (_s.SmtpdDelayReject)
        {
            if (await ClientStageAsync(st, cancellationToken) == CheckStatus.Reject
                || (session.HeloName is { } helo && await HeloStageAsync(st, helo, cancellationToken) == CheckStatus.Reject))
                return Verdict(st, CheckStatus.Reject);
        }
        st.EtrnDomain = domain;
        var status = await RunListAsync(st, _etrn, domain, EtrnClass, "check_etrn_access", cancellationToken);
        return Verdict(st, status);
    }

    public ValueTask<PolicyVerdict> CheckDataAsync(SessionInfo session, string sender, IReadOnlyList<string> recipients,
        CancellationToken cancellationToken) =>
        MessageStageAsync(session, "DATA", _data, "DATA", DataClass, sender, recipients, cancellationToken);

    public ValueTask<PolicyVerdict> CheckEndOfDataAsync(SessionInfo session, string sender, IReadOnlyList<string> recipients,
        long messageSize, CancellationToken cancellationToken) =>
        MessageStageAsync(session, "END-OF-MESSAGE", _endOfData, "END-OF-MESSAGE", EndOfDataClass, sender, recipients,
            cancellationToken);

    private async ValueTask<PolicyVerdict> MessageStageAsync(SessionInfo session, string where, IReadOnlyList<string> list,
        string replyName, string replyClass, string sender, IReadOnlyList<string> recipients, CancellationToken ct)
    {
        var st = NewState(session, where);
        st.Sender = sender;
        // A recipient is only visible to these restrictions when there is exactly one (smtpd_check_data).
        st.Recipient = recipients.Count == 1 ? recipients[0] : null;
        st.RecipientCountOverride = recipients.Count;
        var status = await RunListAsync(st, list, replyName, replyClass, null, ct);
        if (status != CheckStatus.Reject && st.DeferIfPermit.Active)
            status = ApplyDeferral(st, st.DeferIfPermit);
        return Verdict(st, status);
    }

    /// <summary>smtpd_check_rcpt: delayed client/helo/sender lists, then relay and recipient lists, then recipient validation.</summary>
    private async ValueTask<PolicyVerdict> RecipientChecksAsync(CheckState st, string recipient, CancellationToken ct)
    {
        // RFC 5321 requires "postmaster" to be accepted even without a domain.
        if (recipient.Equals("postmaster", StringComparison.OrdinalIgnoreCase))
            return PolicyVerdict.Permit;
        if (_s.SmtpdDelayReject)
        {
            if (await ClientStageAsync(st, ct) == CheckStatus.Reject
                || (st.Session.HeloName is { } helo && await HeloStageAsync(st, helo, ct) == CheckStatus.Reject)
                || (st.Sender is not null && await SenderStageAsync(st, ct) == CheckStatus.Reject))
                return Verdict(st, CheckStatus.Reject);
        }
        st.Recipient = recipient;
        st.Where = st.Where == "VRFY" ? "VRFY" : "RCPT";
        var lists = _s.SmtpdRelayBeforeRecipientRestrictions ? new[] { _relay, _recipient } : new[] { _recipient, _relay };
        var status = CheckStatus.Dunno;
        foreach (var list in lists)
        {
            status = await RunListAsync(st, list, recipient, RecipientClass, "check_recipient_access", ct);
            if (status == CheckStatus.Reject)
                break;
        }
        if (status != CheckStatus.Reject && st.DeferIfPermit.Active)
            status = ApplyDeferral(st, st.DeferIfPermit);
        if (_s.SmtpdRejectUnlistedRecipient && status != CheckStatus.Reject && !st.RecipientMapsChecked && !st.Discard)
            status = await GuardAsync(st, recipient, () => CheckRecipientMapsAsync(st, recipient, RecipientClass, ct));
        return Verdict(st, status);
    }

    private async ValueTask<CheckStatus> ClientStageAsync(CheckState st, CancellationToken ct) =>
        await RunListAsync(st, _client, st.Session.ClientNameAddress, ClientClass, "check_client_access", ct);

    private async ValueTask<CheckStatus> HeloStageAsync(CheckState st, string helo, CancellationToken ct) =>
        await RunListAsync(st, _helo, helo, HeloClass, "check_helo_access", ct);

    private async ValueTask<CheckStatus> SenderStageAsync(CheckState st, CancellationToken ct)
    {
        var sender = st.Sender!;
        var status = await RunListAsync(st, _sender, sender, SenderClass, "check_sender_access", ct);
        if (_s.SmtpdRejectUnlistedSender && status != CheckStatus.Reject && !st.SenderMapsChecked && sender.Length > 0)
            status = await GuardAsync(st, sender, () => CheckRecipientMapsAsync(st, sender, SenderClass, ct));
        return status;
    }

    /// <summary>smtpd_check_addr: a malformed domain is a syntax error (501), a failing table a 451.</summary>
    private async ValueTask<PolicyVerdict?> SyntaxCheckAsync(string address, string dsn, string text, CancellationToken ct)
    {
        try
        {
            return (await ResolveAsync(address, ct)).IsError ? PolicyVerdict.Reject(501, dsn, text) : null;
        }
        catch (Mta.Config.Tables.TableLookupException e)
        {
            _log($"warning: {e.Message}");
            return PolicyVerdict.Reject(451, "4.3.0", $"<{address}>: Temporary lookup failure");
        }
    }

    private CheckState NewState(SessionInfo session, string where) => new(session, MessageActions(session), where);

    private static PolicyVerdict Verdict(CheckState st, CheckStatus status)
    {
        if (status != CheckStatus.Reject || st.Reply is null)
            return PolicyVerdict.Permit;
        return PolicyVerdict.Reject(st.Reply, disconnect: st.Reply.Code is 421 or 521);
    }
}

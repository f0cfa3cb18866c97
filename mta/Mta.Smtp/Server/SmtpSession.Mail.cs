using Mta.Queue;

namespace Mta.Smtp.Server;

/// <summary>MAIL FROM and RCPT TO with their ESMTP parameters.</summary>
internal sealed partial class SmtpSession
{
    private MailTransaction? _transaction;
    private QueueId? _queueId;
    private string? _sender;

    private async ValueTask<bool> MailAsync(string args)
    {
        if (_settings.HeloRequired && _info.HeloName is null)
            return await FailAsync("503 5.5.1 Error: send HELO/EHLO first");
        if (_transaction is { InBdat: true })
            return await FailAsync("503 5.5.1 Error: MAIL after BDAT");
        if (_transaction is not null)
            return await FailAsync("503 5.5.1 Error: nested MAIL command");
        if (CommandArguments.Split(args, "FROM:") is not var (token, parameters))
            return await FailAsync("501 5.5.4 Syntax: MAIL FROM:<address>");
        if (await MessageRateRefusalAsync() is { } tooMuchMail)
            return await FailAsync(tooMuchMail);

        var smtputf8 = _settings.SmtputF8Enable && !_settings.IsKeywordDiscarded("smtputf8")
                       && parameters.Any(p => p.Equals("SMTPUTF8", StringComparison.OrdinalIgnoreCase));
        var sender = CommandArguments.ExtractAddress(token);
        if (sender is null)
            return await FailAsync("501 5.1.7 Bad sender address syntax");

        long size = 0;
        var body8 = false;
        DsnRet? ret = null;
        string? envId = null;
        var dsnDisabled = _settings.IsKeywordDiscarded("dsn");
        foreach (var p in parameters)
        {
            if (p.Equals("BODY=8BITMIME", StringComparison.OrdinalIgnoreCase))
                body8 = true;
            else if (p.Equals("BODY=7BIT", StringComparison.OrdinalIgnoreCase))
                body8 = false;
            else if (p.StartsWith("SIZE=", StringComparison.OrdinalIgnoreCase))
            {
                var digits = p[5..];
                if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
                    return await FailAsync("501 5.5.4 Bad message size syntax");
                if (!long.TryParse(digits, out size))
                    return await FailAsync("552 5.3.4 Message size exceeds file system imposed limit");
            }
            else if (smtputf8 && p.Equals("SMTPUTF8", StringComparison.OrdinalIgnoreCase))
            {
            }
            else if (p.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase) && _settings.SaslAuthEnable)
            {
                // RFC 4954 AUTH=<mailbox>: accepted and ignored, as Postfix does for untrusted submitters.
            }
            else if (p.StartsWith("RET=", StringComparison.OrdinalIgnoreCase))
            {
                if (dsnDisabled)
                    return await FailAsync("501 5.7.1 DSN support is disabled");
                var value = p[4..];
                if (ret is not null || !(value.Equals("FULL", StringComparison.OrdinalIgnoreCase) || value.Equals("HDRS", StringComparison.OrdinalIgnoreCase)))
                    return await FailAsync("501 5.5.4 Bad RET parameter syntax");
                ret = value.Equals("FULL", StringComparison.OrdinalIgnoreCase) ? DsnRet.Full : DsnRet.Hdrs;
            }
            else if (p.StartsWith("ENVID=", StringComparison.OrdinalIgnoreCase))
            {
                if (dsnDisabled)
                    return await FailAsync("501 5.7.1 DSN support is disabled");
                if (envId is not null || (envId = CommandArguments.XtextDecode(p[6..])) is null)
                    return await FailAsync("501 5.5.4 Bad ENVID parameter syntax");
            }
            else
                return await FailAsync($"555 5.5.4 Unsupported option: {p}");
        }
        if (_settings.MessageSizeLimit > 0 && size > _settings.MessageSizeLimit)
        {
            Reject("size");
            return await FailAsync("552 5.3.4 Message size exceeds fixed limit");
        }
        if (!smtputf8 && !CommandArguments.IsAscii(sender))
            return await FailAsync("553 5.6.7 Must declare SMTPUTF8 to send unicode address");

        _sender = sender;
        var verdict = await _policy.CheckSenderAsync(_info, sender, _aborted);
        if (!verdict.IsPermit)
        {
            await PolicyRejectAsync(verdict, "mail");
            _sender = null;
            return false;
        }

        QueueId id;
        string stored;
        try
        {
            id = _store.NewQueueId();
            stored = await _policy.RewriteSenderAsync(_info, sender, _aborted);
        }
        catch (QueueUnavailableException e)
        {
            _sender = null;
            Log($"warning: queue store unavailable: {e.Message}");
            return await FailAsync("451 4.3.0 Error: queue file write error");
        }
        _queueId = id;
        _transaction = new MailTransaction(sender, stored, id, _clock.GetUtcNow())
        {
            DeclaredSize = size, Body8Bit = body8, Smtputf8 = smtputf8, Ret = ret, EnvId = envId,
        };
        var sasl = _info.SaslUsername is null ? "" : $", sasl_method={_info.SaslMethod}, sasl_username={_info.SaslUsername}";
        Log($"{id}: client={NameAddr}{sasl}");
        await ReplyAsync("250 2.1.0 Ok");
        return true;
    }

    private async ValueTask<bool> RcptAsync(string args)
    {
        var tx = _transaction;
        if (tx is null)
            return await FailAsync("503 5.5.1 Error: need MAIL command");
        if (tx.InBdat)
            return await FailAsync("503 5.5.1 Error: RCPT after BDAT");
        if (CommandArguments.Split(args, "TO:") is not var (token, parameters))
            return await FailAsync("501 5.5.4 Syntax: RCPT TO:<address>");
        if (await RecipientRateRefusalAsync() is { } tooManyRecipients)
            return await FailAsync(tooManyRecipients);
        var recipient = CommandArguments.ExtractAddress(token);
        if (string.IsNullOrEmpty(recipient))
            return await FailAsync("501 5.1.3 Bad recipient address syntax");

        var notify = DsnNotify.Default;
        string? orcpt = null;
        var dsnDisabled = _settings.IsKeywordDiscarded("dsn");
        foreach (var p in parameters)
        {
            if (p.StartsWith("NOTIFY=", StringComparison.OrdinalIgnoreCase))
            {
                if (dsnDisabled)
                    return await FailAsync("501 5.7.1 DSN support is disabled");
                if (notify != DsnNotify.Default || ParseNotify(p[7..]) is not { } parsed)
                    return await FailAsync("501 5.5.4 Error: Bad NOTIFY parameter syntax");
                notify = parsed;
            }
            else if (p.StartsWith("ORCPT=", StringComparison.OrdinalIgnoreCase))
            {
                if (dsnDisabled)
                    return await FailAsync("501 5.7.1 DSN support is disabled");
                var value = p[6..];
                var semi = value.IndexOf(';');
                if (orcpt is not null || semi <= 0 || CommandArguments.XtextDecode(value[(semi + 1)..]) is not { } decoded)
                    return await FailAsync("501 5.5.4 Error: Bad ORCPT parameter syntax");
                orcpt = $"{value[..semi]};{decoded}";
            }
            else
                return await FailAsync($"555 5.5.4 Unsupported option: {p}");
        }
        if (_settings.RecipientLimit > 0 && tx.AcceptedRecipients.Count >= _settings.RecipientLimit)
        {
            Reject("recipient_limit");
            await ReplyAsync("452 4.5.3 Error: too many recipients");
            return true;
        }
        if (!tx.Smtputf8 && !CommandArguments.IsAscii(recipient))
            return await FailAsync("553 5.6.7 Must declare SMTPUTF8 to send unicode address");

        var verdict = await _policy.CheckRecipientAsync(_info, tx.Sender, recipient, _aborted);
        if (!verdict.IsPermit)
        {
            await PolicyRejectAsync(verdict, "rcpt", recipient);
            return false;
        }
        var rewritten = await _policy.RewriteRecipientAsync(_info, recipient, _aborted);
        foreach (var address in rewritten)
            tx.Recipients.Add(new Recipient(address, address == recipient ? null : recipient, orcpt, notify));
        tx.AcceptedRecipients.Add(recipient);
        await ReplyAsync("250 2.1.5 Ok");
        return true;
    }

    private static DsnNotify? ParseNotify(string value)
    {
        var result = DsnNotify.Default;
        foreach (var word in value.Split(','))
        {
            var flag = word.ToUpperInvariant() switch
            {
                "NEVER" => DsnNotify.Never,
                "SUCCESS" => DsnNotify.Success,
                "FAILURE" => DsnNotify.Failure,
                "DELAY" => DsnNotify.Delay,
                _ => (DsnNotify?)null,
            };
            if (flag is null)
                return null;
            result |= flag.Value;
        }
        // NEVER excludes every other keyword (RFC 3461 4.1).
        if (result.HasFlag(DsnNotify.Never) && result != DsnNotify.Never)
            return null;
        return result;
    }

    private async ValueTask<bool> FailAsync(string reply)
    {
        await ReplyAsync(reply);
        return false;
    }

    /// <summary>mail_reset(): drops the transaction and anything half-written to the store.</summary>
    private async ValueTask DiscardTransactionAsync()
    {
        if (_transaction is { } tx)
        {
            _transaction = null;
            await tx.DiscardAsync();
        }
        _queueId = null;
        _sender = null;
        _dataBytes = -1;
    }
}

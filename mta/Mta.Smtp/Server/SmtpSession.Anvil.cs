using Mta.Smtp.Policy;

namespace Mta.Smtp.Server;

/// <summary>
/// anvil(8) limits where smtpd.c applies them: the connection count and rate before the greeting, the message
/// rate at MAIL and the recipient rate at RCPT. Exempt clients (smtpd_client_event_limit_exceptions) are
/// never counted; <see cref="ClientLimits"/> decides that.
/// </summary>
internal sealed partial class SmtpSession
{
    private IAsyncDisposable? _anvilLease;

    /// <summary>The listener's anvil limits, or null for none.</summary>
    public ClientLimits? Limits { get; init; }

    /// <summary>Counts the connection; on a refusal answers 421 and returns false (the session then ends).</summary>
    private async ValueTask<bool> AdmitClientAsync()
    {
        if (Limits is null)
            return true;
        var admission = await Limits.AdmitAsync(_info, _aborted, Log);
        _anvilLease = admission.Lease;
        if (admission.Refusal is not { } refusal)
            return true;
        Reject("connection_limit");
        await ReplyAsync(refusal.ToString());
        return false;
    }

    /// <summary>smtpd_client_message_rate_limit at MAIL: the 450 reply, or null when within the limit.</summary>
    private async ValueTask<string?> MessageRateRefusalAsync()
    {
        if (Limits is null)
            return null;
        var refusal = await Limits.CheckMessageAsync(_info, _aborted, Log);
        if (refusal is null)
            return null;
        Reject("message_rate");
        return refusal.ToString();
    }

    /// <summary>smtpd_client_recipient_rate_limit at RCPT: the 450 reply, or null when within the limit.</summary>
    private async ValueTask<string?> RecipientRateRefusalAsync()
    {
        if (Limits is null)
            return null;
        var refusal = await Limits.CheckRecipientAsync(_info, _aborted, Log);
        if (refusal is null)
            return null;
        Reject("recipient_rate");
        return refusal.ToString();
    }

    /// <summary>anvil's disconnect: the connection stops counting towards the client's concurrency.</summary>
    private async ValueTask ReleaseClientAsync()
    {
        if (_anvilLease is not { } lease)
            return;
        _anvilLease = null;
        await lease.DisposeAsync();
    }
}

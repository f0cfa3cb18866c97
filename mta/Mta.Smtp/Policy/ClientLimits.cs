namespace Mta.Smtp.Policy;

/// <summary>The anvil limits smtpd enforces (0 = no limit), and who is exempt.</summary>
public sealed record ClientLimitSettings
{
    public required string MyHostname { get; init; }
    public int SmtpdClientConnectionCountLimit { get; init; } = 50;
    public int SmtpdClientConnectionRateLimit { get; init; }
    public int SmtpdClientMessageRateLimit { get; init; }
    public int SmtpdClientRecipientRateLimit { get; init; }
    public int SmtpdClientIpv4PrefixLength { get; init; } = 32;
    public int SmtpdClientIpv6PrefixLength { get; init; } = 84;
}

/// <summary>What smtpd does with anvil's counts: the 421/450 replies and warning lines of smtpd.c.</summary>
public sealed class ClientLimits
{
    private readonly ClientLimitSettings _s;
    private readonly IClientLimiter _limiter;
    private readonly NetworkMatchList _exceptions;
    private readonly Action<string> _log;

    /// <param name="exceptions">smtpd_client_event_limit_exceptions (default $mynetworks).</param>
    public ClientLimits(ClientLimitSettings settings, IClientLimiter limiter, NetworkMatchList exceptions, Action<string>? log = null)
    {
        _s = settings;
        _limiter = limiter;
        _exceptions = exceptions;
        _log = log ?? (_ => { });
    }

    /// <summary>The outcome of a connection: a refusal reply (then disconnect) or null, and the lease to dispose at disconnect.</summary>
    public readonly record struct Admission(SmtpReply? Refusal, IAsyncDisposable Lease);

    /// <param name="log">Where the warning goes (smtpd's log); defaults to the log given at construction.</param>
    public async ValueTask<Admission> AdmitAsync(SessionInfo session, CancellationToken ct, Action<string>? log = null)
    {
        log ??= _log;
        if (await IsExemptAsync(session, ct))
            return new Admission(null, NoLease.Instance);
        var lease = await _limiter.ConnectAsync(session.ServiceName, Key(session), ct);
        var address = SessionInfo.FormatAddress(session.ClientAddress);
        var refusal = new SmtpReply(421, "4.7.0", $"{_s.MyHostname} Error: too many connections from {address}");
        if (_s.SmtpdClientConnectionCountLimit > 0 && lease.Count > _s.SmtpdClientConnectionCountLimit)
        {
            log($"warning: Connection concurrency limit exceeded: {lease.Count} from {session.ClientNameAddress} for service {session.ServiceName}");
            return new Admission(refusal, lease);
        }
        if (_s.SmtpdClientConnectionRateLimit > 0 && lease.Rate > _s.SmtpdClientConnectionRateLimit)
        {
            log($"warning: Connection rate limit exceeded: {lease.Rate} from {session.ClientNameAddress} for service {session.ServiceName}");
            return new Admission(refusal, lease);
        }
        return new Admission(null, lease);
    }

    /// <summary>At MAIL: "450 4.7.1 Error: too much mail from ADDR" over smtpd_client_message_rate_limit.</summary>
    public async ValueTask<SmtpReply?> CheckMessageAsync(SessionInfo session, CancellationToken ct, Action<string>? log = null)
    {
        log ??= _log;
        if (_s.SmtpdClientMessageRateLimit <= 0 || await IsExemptAsync(session, ct))
            return null;
        var rate = await _limiter.CountEventAsync(session.ServiceName, Key(session), ClientEventKind.Message, ct);
        if (rate <= _s.SmtpdClientMessageRateLimit)
            return null;
        log($"warning: Message delivery request rate limit exceeded: {rate} from {session.ClientNameAddress} for service {session.ServiceName}");
        return new SmtpReply(450, "4.7.1", $"Error: too much mail from {SessionInfo.FormatAddress(session.ClientAddress)}");
    }

    /// <summary>At RCPT: "450 4.7.1 Error: too many recipients from ADDR" over smtpd_client_recipient_rate_limit.</summary>
    public async ValueTask<SmtpReply?> CheckRecipientAsync(SessionInfo session, CancellationToken ct, Action<string>? log = null)
    {
        log ??= _log;
        if (_s.SmtpdClientRecipientRateLimit <= 0 || await IsExemptAsync(session, ct))
            return null;
        var rate = await _limiter.CountEventAsync(session.ServiceName, Key(session), ClientEventKind.Recipient, ct);
        if (rate <= _s.SmtpdClientRecipientRateLimit)
            return null;
        log($"warning: Recipient address rate limit exceeded: {rate} from {session.ClientNameAddress} for service {session.ServiceName}");
        return new SmtpReply(450, "4.7.1", $"Error: too many recipients from {SessionInfo.FormatAddress(session.ClientAddress)}");
    }

    private string Key(SessionInfo session) =>
        ClientKey.For(session.ClientAddress, _s.SmtpdClientIpv4PrefixLength, _s.SmtpdClientIpv6PrefixLength);

    private ValueTask<bool> IsExemptAsync(SessionInfo session, CancellationToken ct) =>
        _exceptions.MatchesAsync(session.ClientAddress, session.ClientName, ct);

    private sealed class NoLease : IAsyncDisposable
    {
        public static readonly NoLease Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

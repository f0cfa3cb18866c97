using DnsClient;
using Mta.Delivery.Agents;

namespace Mta.Delivery.Smtp;

/// <summary>
/// Postfix's smtp(8) and lmtp(8) client: the master.cf programs "smtp" (also behind the "relay" service) and
/// "lmtp". Resolves the next hop (MX, or the host itself), tries its servers in order — the next one after a
/// connection failure or a soft refusal, at most smtp_mx_session_limit sessions — and delivers the stored bytes
/// unchanged. Recipients refused temporarily by a server that is not the last to try are offered to the next.
/// Sessions are kept for the next request to the same destination (connection cache).
/// </summary>
public sealed class SmtpDeliveryAgent : IDeliveryAgent, IAsyncDisposable
{
    private readonly AgentContext _context;
    private readonly DestinationResolver _resolver;
    private readonly SessionCache _cache;

    /// <summary>The production agent: the system's DNS servers, or $MTA_DNS_SERVER (see <see cref="SmtpDns"/>).</summary>
    public SmtpDeliveryAgent(AgentContext context) : this(context, SmtpDns.CreateClient())
    {
    }

    /// <param name="context">Service, parameters (smtp_* or lmtp_* per the process name), log.</param>
    /// <param name="dns">The DNS resolver to use (tests: one asking their own DNS server; see <see cref="SmtpDns.CreateClient"/>).</param>
    /// <param name="testOnlyPortForHost">
    /// TEST ONLY: a port per host name found in DNS, so several MX hosts that all resolve to 127.0.0.1 can be
    /// told apart. Production passes null: MX and bare host names use smtp_tcp_port (25) / lmtp_tcp_port (24),
    /// and "[host]:port" next hops their own port.
    /// </param>
    public SmtpDeliveryAgent(AgentContext context, IDnsQuery dns, Func<string, int?>? testOnlyPortForHost = null)
    {
        _context = context;
        Settings = SmtpClientSettingsBinder.Bind(context.Parameters, lmtp: context.Service.ProcessName == "lmtp");
        _resolver = new DestinationResolver(Settings, dns, testOnlyPortForHost);
        _resolver.Warning += text => Log("warning: " + text);
        _cache = new SessionCache(Settings);
    }

    /// <summary>The settings bound from the parameters at construction.</summary>
    public SmtpClientSettings Settings { get; }

    /// <summary>Idle sessions held in the connection cache.</summary>
    public int CachedSessions => _cache.IdleCount;

    public async ValueTask<IReadOnlyList<RecipientResult>> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        var attempt = new DeliveryAttempt(request, Log);
        Nexthop hop;
        try
        {
            hop = Nexthop.Parse(request.Nexthop, Settings.DefaultPort, Settings.Lmtp);
        }
        catch (FormatException e)
        {
            Log($"warning: {e.Message}");
            attempt.FailAll(new SmtpFailure("4.3.5", "server configuration error"), finalServer: true, "none");
            return attempt.Results;
        }
        var cacheKey = $"{request.Transport}:{request.Nexthop}";
        try
        {
            // A cached session first; should it fail, the destination's servers are tried as usual.
            if (_cache.TryTake(cacheKey) is { } cached)
            {
                if (await cached.ResetAsync(cancellationToken).ConfigureAwait(false))
                    await TransferAsync(cached, request, attempt, finalServer: false, cacheKey, cancellationToken).ConfigureAwait(false);
                else
                    await cached.DisposeAsync().ConfigureAwait(false);
            }
            if (attempt.Pending.Count > 0)
                await DeliverToDestinationAsync(hop, request, attempt, cacheKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug or an unexpected library error must not lose the request: defer what is left, as qmgr does
            // when an agent dies ("unknown mail transport error").
            Log($"warning: {request.Id}: {e.GetType().Name}: {e.Message}");
            attempt.FailAll(new SmtpFailure("4.3.0", "unknown mail transport error"), finalServer: true, "none");
        }
        if (attempt.Pending.Count > 0)
            attempt.FailAll(attempt.LastFailure ?? new SmtpFailure("4.3.0", "server unavailable or unable to receive mail"),
                finalServer: true, "none");
        return attempt.Results;
    }

    private async ValueTask DeliverToDestinationAsync(Nexthop hop, DeliveryRequest request, DeliveryAttempt attempt,
        string cacheKey, CancellationToken cancellationToken)
    {
        var (targets, failure) = await _resolver.ResolveAsync(hop, cancellationToken).ConfigureAwait(false);
        if (targets.Count == 0)
        {
            attempt.FailAll(failure ?? new SmtpFailure("4.4.3", $"Host or domain name not found. Name service error for name={hop.Host}"),
                finalServer: true, "none");
            return;
        }
        var sessions = 0;
        for (var i = 0; i < targets.Count && attempt.Pending.Count > 0; i++)
        {
            var target = targets[i];
            SmtpSession session;
            bool finalServer;
            try
            {
                session = await OpenAsync(target, useTls: true, cancellationToken).ConfigureAwait(false);
                sessions++;
                finalServer = IsFinal(i, targets.Count, sessions);
            }
            catch (SmtpSessionException e) when (e.ConnectFailed)
            {
                Log(e.Failure.Text);
                attempt.LastFailure = e.Failure;
                continue;
            }
            catch (SmtpSessionException e)
            {
                sessions++;
                finalServer = IsFinal(i, targets.Count, sessions);
                attempt.LastFailure = e.Failure;
                attempt.FailAll(e.Failure, finalServer, target.Relay);
                if (finalServer)
                    return;
                continue;
            }
            await TransferAsync(session, request, attempt, finalServer, cacheKey, cancellationToken).ConfigureAwait(false);
            if (finalServer)
                return;
        }
    }

    private bool IsFinal(int index, int count, int sessions) =>
        index == count - 1 || (Settings.MxSessionLimit > 0 && sessions >= Settings.MxSessionLimit);

    // Connect and greet; after an opportunistic TLS failure, the same server once more in plaintext (Postfix 3.x).
    private async ValueTask<SmtpSession> OpenAsync(SmtpTarget target, bool useTls, CancellationToken cancellationToken)
    {
        try
        {
            return await SmtpSession.OpenAsync(target, Settings, useTls, Log, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpSessionException e) when (e.RetryWithoutTls && useTls)
        {
            Log($"{e.Failure.Text}: retrying {target.Relay} without TLS");
            return await SmtpSession.OpenAsync(target, Settings, useTls: false, Log, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask TransferAsync(SmtpSession session, DeliveryRequest request, DeliveryAttempt attempt,
        bool finalServer, string cacheKey, CancellationToken cancellationToken)
    {
        try
        {
            await SmtpTransfer.RunAsync(session, request, attempt, Settings, finalServer, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpSessionException e)
        {
            session.Reusable = false;
            attempt.LastFailure = e.Failure;
            attempt.FailAll(e.Failure, finalServer, session.Target.Relay);
        }
        catch
        {
            session.Reusable = false;
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        if (_cache.MayKeep(session))
            _cache.Put(cacheKey, session);
        else if (session.Reusable)
            await session.QuitAsync(cancellationToken).ConfigureAwait(false);
        else
            await session.DisposeAsync().ConfigureAwait(false);
    }

    private void Log(string text) => _context.Log.Write(_context.ProgramName, text);

    /// <summary>Closes the cached sessions (QUIT).</summary>
    public ValueTask DisposeAsync() => _cache.DisposeAsync();
}

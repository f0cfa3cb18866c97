using System.Security.Authentication;

namespace Mta.Delivery.Smtp;

/// <summary>
/// An SMTP/LMTP session that is ready for mail: greeting read, EHLO (or HELO, or LHLO) done, STARTTLS
/// negotiated per smtp_tls_security_level (smtp_helo() in smtp_proto.c). It can carry several transactions
/// (connection cache), with RSET in between.
/// </summary>
public sealed class SmtpSession : IAsyncDisposable
{
    private readonly SmtpClientSettings _settings;

    private SmtpSession(SmtpConnection connection, SmtpClientSettings settings, DateTimeOffset opened)
    {
        Connection = connection;
        _settings = settings;
        Opened = opened;
    }

    public SmtpConnection Connection { get; }
    public SmtpTarget Target => Connection.Target;
    public EhloFeatures Features { get; private set; } = EhloFeatures.None;
    public DateTimeOffset Opened { get; }

    /// <summary>Transactions started on this session (Postfix's conn_use is this plus one for the next).</summary>
    public int TransactionCount { get; internal set; }

    /// <summary>False after anything that leaves the protocol in doubt: such a session is closed, never cached.</summary>
    public bool Reusable { get; internal set; } = true;

    /// <summary>Connects and greets. Throws <see cref="SmtpSessionException"/> (connect failure, refusal, broken conversation).</summary>
    /// <param name="useTls">False to skip STARTTLS (the retry after an opportunistic TLS failure).</param>
    /// <param name="log">Receives informational lines (TLS established).</param>
    public static async ValueTask<SmtpSession> OpenAsync(SmtpTarget target, SmtpClientSettings settings, bool useTls,
        Action<string> log, CancellationToken cancellationToken)
    {
        var connection = await SmtpConnection.ConnectAsync(target, settings.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        var session = new SmtpSession(connection, settings, DateTimeOffset.UtcNow);
        try
        {
            await session.HandshakeAsync(useTls, log, cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask HandshakeAsync(bool useTls, Action<string> log, CancellationToken cancellationToken)
    {
        var greeting = await Connection.ReadReplyAsync(_settings.HeloTimeout, "receiving the initial server greeting", cancellationToken).ConfigureAwait(false);
        if (!greeting.IsPositive)
        {
            // A 5xx banner still lets the next MX host try, unless smtp_skip_5xx_greeting = no.
            var dsn = greeting.Code / 100 == 5 && _settings.Skip5xxGreeting ? "4" + greeting.Dsn[1..] : greeting.Dsn;
            throw Refused(greeting, dsn);
        }
        var esmtp = _settings.Lmtp || (!_settings.NeverSendEhlo &&
            (_settings.AlwaysSendEhlo || greeting.Lines[0].Contains("ESMTP", StringComparison.OrdinalIgnoreCase)));
        await HelloAsync(esmtp, cancellationToken).ConfigureAwait(false);

        var level = useTls ? _settings.TlsLevel : TlsSecurityLevel.None;
        if (level == TlsSecurityLevel.None)
            return;
        if (!Features.StartTls)
        {
            if (level == TlsSecurityLevel.May)
                return;
            throw new SmtpSessionException(new SmtpFailure("4.7.4", $"TLS is required, but was not offered by host {Target.NameAddress}"));
        }
        Connection.Append("STARTTLS");
        await Connection.FlushAsync(_settings.HeloTimeout, "sending the STARTTLS command", cancellationToken).ConfigureAwait(false);
        var reply = await Connection.ReadReplyAsync(_settings.StarttlsTimeout, "receiving the STARTTLS response", cancellationToken).ConfigureAwait(false);
        if (!reply.IsPositive)
        {
            if (level == TlsSecurityLevel.May)
                return;
            throw new SmtpSessionException(new SmtpFailure(reply.Dsn,
                $"TLS is required, but host {Target.NameAddress} refused to start TLS: {reply.Text}", Target.HostName, reply.Text));
        }
        // Bytes already waiting were sent before TLS and must not be read as if they came through it.
        if (Connection.HasUnreadInput())
        {
            Reusable = false;
            throw new SmtpSessionException(new SmtpFailure("4.7.5", "Cannot start TLS: handshake failure"))
                { RetryWithoutTls = level == TlsSecurityLevel.May };
        }
        var verification = new TlsVerification(_settings.TlsCAfile);
        try
        {
            await Connection.StartTlsAsync(verification.Options(Target.HostName), _settings.StarttlsTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested &&
                                  e is AuthenticationException or IOException or OperationCanceledException)
        {
            Reusable = false;
            throw new SmtpSessionException(new SmtpFailure("4.7.5", "Cannot start TLS: handshake failure"), e)
                { RetryWithoutTls = level == TlsSecurityLevel.May };
        }
        var tls = Connection.Tls!;
        log($"{verification.Trust} TLS connection established to {Target.Relay}: {TlsVerification.ProtocolName(tls.SslProtocol)} with cipher {tls.NegotiatedCipherSuite}");
        if (level >= TlsSecurityLevel.Verify && verification.Trust != "Verified")
            throw new SmtpSessionException(new SmtpFailure("4.7.5", "Server certificate not verified"));
        await HelloAsync(esmtp: true, cancellationToken).ConfigureAwait(false);
    }

    // EHLO, falling back to HELO on a non-421 refusal (or LHLO for LMTP).
    private async ValueTask HelloAsync(bool esmtp, CancellationToken cancellationToken)
    {
        if (esmtp)
        {
            var verb = _settings.Lmtp ? "LHLO" : "EHLO";
            var where = $"performing the {verb} handshake";
            Connection.Append($"{verb} {_settings.HeloName}");
            await Connection.FlushAsync(_settings.HeloTimeout, where, cancellationToken).ConfigureAwait(false);
            var reply = await Connection.ReadReplyAsync(_settings.HeloTimeout, where, cancellationToken).ConfigureAwait(false);
            if (reply.IsPositive)
            {
                Features = EhloFeatures.Parse(reply);
                return;
            }
            if (_settings.Lmtp || reply.Code == 421)
                throw Refused(reply, reply.Dsn);
        }
        Connection.Append($"HELO {_settings.HeloName}");
        await Connection.FlushAsync(_settings.HeloTimeout, "performing the HELO handshake", cancellationToken).ConfigureAwait(false);
        var helo = await Connection.ReadReplyAsync(_settings.HeloTimeout, "performing the HELO handshake", cancellationToken).ConfigureAwait(false);
        if (!helo.IsPositive)
            throw Refused(helo, helo.Dsn);
        Features = EhloFeatures.None;
    }

    private SmtpSessionException Refused(ServerReply reply, string dsn)
    {
        Reusable = false;
        return new SmtpSessionException(new SmtpFailure(dsn, $"host {Target.NameAddress} refused to talk to me: {reply.Text}",
            Target.HostName, reply.Text));
    }

    /// <summary>RSET before reusing a cached session; false when the session is no longer usable.</summary>
    public async ValueTask<bool> ResetAsync(CancellationToken cancellationToken)
    {
        try
        {
            Connection.Append("RSET");
            await Connection.FlushAsync(_settings.RsetTimeout, "sending RSET probe", cancellationToken).ConfigureAwait(false);
            var reply = await Connection.ReadReplyAsync(_settings.RsetTimeout, "sending RSET probe", cancellationToken).ConfigureAwait(false);
            return reply.IsPositive;
        }
        catch (SmtpSessionException)
        {
            return false;
        }
    }

    /// <summary>QUIT (waiting for the reply unless smtp_skip_quit_response) and close; never throws on a broken peer.</summary>
    public async ValueTask QuitAsync(CancellationToken cancellationToken)
    {
        try
        {
            Connection.Append("QUIT");
            await Connection.FlushAsync(_settings.QuitTimeout, "sending QUIT", cancellationToken).ConfigureAwait(false);
            if (!_settings.SkipQuitResponse)
                await Connection.ReadReplyAsync(_settings.QuitTimeout, "sending QUIT", cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpSessionException)
        {
            // The peer is gone already; nothing to tell it.
        }
        await DisposeAsync().ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

using System.Text;
using Mta.Queue;

namespace Mta.Smtp.Server;

/// <summary>HELO, EHLO, STARTTLS and the small commands (RSET, NOOP, VRFY, ETRN, QUIT, HELP).</summary>
internal sealed partial class SmtpSession
{
    private async ValueTask<bool> HeloAsync(string args)
    {
        if (args.Length == 0)
        {
            await ReplyAsync("501 Syntax: HELO hostname");
            return false;
        }
        if (!await AcceptHeloAsync(args, "SMTP"))
            return false;
        await ReplyAsync($"250 {_settings.MyHostname}");
        return true;
    }

    private async ValueTask<bool> EhloAsync(string args)
    {
        if (args.Length == 0)
        {
            await ReplyAsync("501 Syntax: EHLO hostname");
            return false;
        }
        if (!await AcceptHeloAsync(args, "ESMTP"))
            return false;
        var lines = EhloKeywords();
        var sb = new StringBuilder();
        sb.Append("250-").Append(_settings.MyHostname);
        for (var i = 0; i < lines.Count; i++)
            sb.Append("\r\n").Append(i == lines.Count - 1 ? "250 " : "250-").Append(lines[i]);
        await ReplyAsync(sb.ToString());
        return true;
    }

    /// <summary>HELO/EHLO common part: a new HELO resets the transaction; smtpd_helo_restrictions may refuse it.</summary>
    private async ValueTask<bool> AcceptHeloAsync(string name, string protocol)
    {
        await DiscardTransactionAsync();
        var verdict = await _policy.CheckHeloAsync(_info, name, _aborted);
        if (!verdict.IsPermit)
        {
            await PolicyRejectAsync(verdict, "helo");
            return false;
        }
        _info.HeloName = name;
        _info.Protocol = protocol;
        return true;
    }

    /// <summary>The EHLO keywords in Postfix's order, minus smtpd_discard_ehlo_keywords.</summary>
    private List<string> EhloKeywords()
    {
        var s = _settings;
        var list = new List<string>();
        var discarded = new List<string>();
        void Add(string keyword, string text)
        {
            if (!s.IsKeywordDiscarded(keyword))
                list.Add(text);
            else if (!discarded.Contains(keyword))
                discarded.Add(keyword);
        }
        Add("pipelining", "PIPELINING");
        Add("size", s.MessageSizeLimit > 0 ? $"SIZE {s.MessageSizeLimit}" : "SIZE");
        if (!s.DisableVrfyCommand)
            Add("vrfy", "VRFY");
        Add("etrn", "ETRN");
        if (s.TlsEnabled && !_info.TlsActive)
            Add("starttls", "STARTTLS");
        if (SaslOffered)
        {
            Add("auth", "AUTH PLAIN LOGIN");
            if (s.BrokenSaslAuthClients)
                Add("auth", "AUTH=PLAIN LOGIN");
        }
        Add("enhancedstatuscodes", "ENHANCEDSTATUSCODES");
        Add("8bitmime", "8BITMIME");
        Add("dsn", "DSN");
        if (s.SmtputF8Enable)
            Add("smtputf8", "SMTPUTF8");
        Add("chunking", "CHUNKING");
        if (discarded.Count > 0 && !s.IsKeywordDiscarded("silent-discard"))
            Log($"{NameAddr}: discarding EHLO keywords: {string.Join(' ', discarded).ToUpperInvariant()}");
        return list;
    }

    private bool SaslOffered => _settings.SaslAuthEnable && _credentials is not null
                                && (_info.TlsActive || !_settings.TlsAuthOnly);

    private async ValueTask<bool> StartTlsAsync(string args)
    {
        if (args.Length > 0)
        {
            await ReplyAsync("501 5.5.4 Syntax: STARTTLS");
            return false;
        }
        if (_info.TlsActive)
        {
            await ReplyAsync("554 5.5.1 Error: TLS already active");
            return false;
        }
        if (_settings.TlsSecurityLevel == TlsSecurityLevel.None || _settings.IsKeywordDiscarded("starttls"))
        {
            await ReplyAsync("502 5.5.1 Error: command not implemented");
            return false;
        }
        if (_settings.TlsCertificate is null)
        {
            await ReplyAsync("454 4.7.0 TLS not available due to local problem");
            return false;
        }
        await ReplyAsync("220 2.0.0 Ready to start TLS");
        await FlushAsync();
        // vstream_fpurge(): plaintext the client pipelined after STARTTLS is thrown away, never executed.
        _transport.DiscardBufferedInput();
        await HandshakeAsync();
        // RFC 3207: forget everything learned before TLS; the client must EHLO again.
        await DiscardTransactionAsync();
        _info.HeloName = null;
        _info.Protocol = "SMTP";
        _info.SaslMethod = null;
        _info.SaslUsername = null;
        return true;
    }

    private async Task HandshakeAsync()
    {
        using var deadline = new CancellationTokenSource(_settings.StarttlsTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _aborted);
        try
        {
            await _transport.StartTlsAsync(_settings.TlsCertificate!, linked.Token);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException)
        {
            _reason = deadline.IsCancellationRequested ? "timeout" : "lost connection";
            Log($"warning: TLS library problem: {e.Message}");
            throw new ConnectionClosedException();
        }
        _info.TlsActive = true;
        var tls = _transport.Tls!;
        _info.TlsProtocol = FormatProtocol(tls.SslProtocol);
        _info.TlsCipher = tls.NegotiatedCipherSuite.ToString();
        Log($"Anonymous TLS connection established from {NameAddr}: {_info.TlsProtocol} with cipher {_info.TlsCipher}");
    }

    private static string FormatProtocol(System.Security.Authentication.SslProtocols p) => p switch
    {
        System.Security.Authentication.SslProtocols.Tls13 => "TLSv1.3",
        System.Security.Authentication.SslProtocols.Tls12 => "TLSv1.2",
        _ => p.ToString(),
    };

    private async ValueTask<bool> RsetAsync(string args)
    {
        if (args.Length > 0)
        {
            await ReplyAsync("501 5.5.4 Syntax: RSET");
            return false;
        }
        await DiscardTransactionAsync();
        await ReplyAsync("250 2.0.0 Ok");
        return true;
    }

    private async ValueTask<bool> NoopAsync(string args)
    {
        if (args.Length > 0 && !args.StartsWith('"'))
        {
            await ReplyAsync("501 5.5.4 Syntax: NOOP");
            return false;
        }
        await ReplyAsync("250 2.0.0 Ok");
        return true;
    }

    private async ValueTask<bool> VrfyAsync(string args)
    {
        if (_settings.DisableVrfyCommand)
        {
            await ReplyAsync("502 5.5.1 VRFY command is disabled");
            return false;
        }
        if (args.Length == 0)
        {
            await ReplyAsync("501 5.5.4 Syntax: VRFY address");
            return false;
        }
        var address = CommandArguments.ExtractAddress(args);
        if (string.IsNullOrEmpty(address))
        {
            await ReplyAsync("501 5.1.3 Bad recipient address syntax");
            return false;
        }
        if (!CommandArguments.IsAscii(address) && !_settings.SmtputF8Enable)
        {
            await ReplyAsync("553 5.6.7 Must declare SMTPUTF8 to send unicode address");
            return false;
        }
        var verdict = await _policy.CheckVerifyAsync(_info, address, _aborted);
        if (!verdict.IsPermit)
        {
            await PolicyRejectAsync(verdict, "vrfy", address);
            return false;
        }
        await ReplyAsync($"252 2.0.0 {args}");
        return true;
    }

    private async ValueTask<bool> EtrnAsync(string args)
    {
        if (_info.HeloName is null && _settings.HeloRequired)
        {
            await ReplyAsync("503 Error: send HELO/EHLO first");
            return false;
        }
        if (_transaction is not null)
        {
            await ReplyAsync("503 Error: MAIL transaction in progress");
            return false;
        }
        if (args.Length == 0 || args.Contains(' '))
        {
            await ReplyAsync("500 Syntax: ETRN domain");
            return false;
        }
        var domain = args.StartsWith('@') || args.StartsWith('#') ? args[1..] : args;
        var verdict = await _policy.CheckEtrnAsync(_info, domain, _aborted);
        if (!verdict.IsPermit)
        {
            await PolicyRejectAsync(verdict, "etrn");
            return false;
        }
        // Postfix's flush(8) serves only fast_flush_domains (default $relay_domains); its replies carry no enhanced code.
        if (!await _settings.FastFlushDomains.MatchesAsync(domain, _aborted))
        {
            await ReplyAsync($"459 <{domain}>: service unavailable");
            return false;
        }
        if (_store is not IQueueConsumer queue)
        {
            await ReplyAsync("458 Unable to queue messages");
            return false;
        }
        _ = FlushSiteAsync(queue, domain);
        await ReplyAsync("250 Queuing started");
        return true;
    }

    /// <summary>ETRN's flush runs after the reply, as Postfix's flush(8) does: a store error only gets a log line.</summary>
    private async Task FlushSiteAsync(IQueueConsumer queue, string site)
    {
        try
        {
            await SiteFlush.RunAsync(queue, site, CancellationToken.None);
        }
        catch (Exception e) when (e is QueueUnavailableException or IOException)
        {
            Log($"warning: flush {site}: {e.Message}");
        }
    }

    private async ValueTask<bool> QuitAsync()
    {
        await ReplyAsync("221 2.0.0 Bye");
        await FlushAsync();
        return true;
    }

    private async ValueTask<bool> HelpAsync()
    {
        await ReplyAsync("214 2.0.0 Commands: AUTH BDAT DATA EHLO ETRN HELO HELP MAIL NOOP QUIT RCPT RSET STARTTLS VRFY");
        return true;
    }

    /// <summary>Sends a policy reject, logs it Postfix-style and counts it.</summary>
    private async ValueTask PolicyRejectAsync(PolicyVerdict verdict, string reason, string? recipient = null)
    {
        var reply = verdict.Reply!;
        LogWhatsup("reject", verdict.LogText ?? reply.ToString(), recipient);
        Reject(reason);
        await ReplyAsync(reply.ToString());
        if (verdict.Disconnect)
        {
            _hangup = true;
            await FlushAsync();
        }
    }
}

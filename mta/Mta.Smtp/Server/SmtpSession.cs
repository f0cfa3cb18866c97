using System.Buffers;
using System.Net;
using System.Text;
using Mta.Queue;

namespace Mta.Smtp.Server;

/// <summary>
/// One SMTP server session (Postfix's smtpd_proto()): greeting, the command loop with its error counters,
/// pipelining checks and timeouts, and the disconnect statistics. The commands live in the other partial files.
/// </summary>
internal sealed partial class SmtpSession
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private readonly SmtpTransport _transport;
    private readonly SessionInfo _info;
    private readonly SmtpdSettings _settings;
    private readonly ISmtpPolicy _policy;
    private readonly IQueueStore _store;
    private readonly IMailLog _log;
    private readonly ISaslCredentials? _credentials;
    private readonly TimeProvider _clock;
    private readonly SmtpLineReader _reader;
    private readonly int[] _success = new int[SmtpCommandTable.Names.Length];
    private readonly int[] _total = new int[SmtpCommandTable.Names.Length];
    private readonly CancellationToken _aborted;
    private CancellationTokenSource _timeout = new();
    private readonly Func<ValueTask> _flush;

    private int _errorCount;
    private int _junkCommands;
    private bool _illPipeliningFlagged;
    private bool _hangup;
    private bool _noteBareLf;
    private bool _detectBareLf;
    private string _where = "CONNECT";
    private string? _reason;
    private PolicyVerdict _accessDenied;

    public SmtpSession(SmtpTransport transport, SessionInfo info, SmtpdSettings settings, ISmtpPolicy policy,
        IQueueStore store, IMailLog log, ISaslCredentials? credentials, TimeProvider clock, CancellationToken aborted)
    {
        _transport = transport;
        _info = info;
        _settings = settings;
        _policy = policy;
        _store = store;
        _log = log;
        _credentials = credentials;
        _clock = clock;
        _aborted = aborted;
        _reader = new SmtpLineReader(settings.LineLengthLimit);
        _flush = FlushAsync; // one delegate per session, not one per line
    }

    private string NameAddr => _info.ClientNameAddress;

    private void Log(string text) => _log.Write(_settings.ProgramName, text);

    public async Task RunAsync()
    {
        SmtpdMetrics.Sessions.Inc();
        SmtpdMetrics.ActiveSessions.Inc();
        Log($"connect from {NameAddr}");
        _detectBareLf = _settings.ForbidBareNewline != BareNewlineMode.No && !IsExcludedFromBareLf(_info.ClientAddress);
        try
        {
            await ProtocolAsync();
        }
        catch (OperationCanceledException) when (_timeout.IsCancellationRequested)
        {
            _reason = "timeout";
            await TryReplyAsync($"421 4.4.2 {_settings.MyHostname} Error: timeout exceeded");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException
                                       or System.Security.Authentication.AuthenticationException
                                       or OperationCanceledException or ConnectionClosedException)
        {
            _reason ??= "lost connection";
        }
        catch (Exception e)
        {
            // A bug, not a client problem: say so loudly, drop the transaction, never answer 250.
            Log($"error: {NameAddr}: unexpected {e.GetType().Name}: {e.Message}");
            _reason ??= "lost connection";
        }
        finally
        {
            LogAbnormalEnd();
            await DiscardTransactionAsync();
            Log($"disconnect from {NameAddr}{FormatStatistics()}");
            SmtpdMetrics.ActiveSessions.Dec();
            _timeout.Dispose();
            await ReleaseClientAsync();
        }
    }

    private async Task ProtocolAsync()
    {
        if (_settings.TlsWrapperMode)
        {
            if (!_settings.TlsEnabled)
            {
                Log("warning: TLS wrappermode requested but smtpd_tls_cert_file is not usable; disconnecting");
                return;
            }
            await HandshakeAsync();
        }
        if (!await AdmitClientAsync())
            return;
        if (!_settings.TlsWrapperMode && SmtpLineReader.HasPendingInput(_transport, out var early))
        {
            // The client spoke before the greeting (not checked in wrapper mode: TLS speaks first).
            FlagIllPipelining(early);
            if (_settings.ForbidUnauthPipelining)
            {
                Reject("pipelining");
                await ReplyAsync("554 5.5.0 Error: SMTP protocol synchronization");
                return;
            }
        }

        _accessDenied = await _policy.CheckClientAsync(_info, _aborted);
        await ReplyAsync($"220 {_settings.EffectiveBanner}");

        while (!_hangup)
        {
            if (_errorCount >= _settings.HardErrorLimit)
            {
                _reason = "too many errors";
                Reject("errors");
                await ReplyAsync($"421 4.7.0 {_settings.MyHostname} Error: too many errors");
                break;
            }
            var status = await ReadLineAsync(command: true);
            if (status == LineStatus.Closed)
            {
                _reason = "lost connection";
                break;
            }
            if (status == LineStatus.TooLong)
            {
                Log($"warning: {NameAddr}: request longer than {_settings.LineLengthLimit}");
                await ReplyAsync($"500 5.5.2 {_settings.MyHostname} Error: command too long");
                continue;
            }
            if (_reader.GotBareLf)
            {
                if (_settings.ForbidBareNewline == BareNewlineMode.Reject)
                {
                    LogWhatsup("reject", "bare <LF> received");
                    Reject("bare_lf");
                    await ReplyAsync($"{_settings.ForbidBareNewlineRejectCode} 5.5.2 {_settings.MyHostname} Error: bare <LF> received");
                    break;
                }
                if (_settings.ForbidBareNewline == BareNewlineMode.Note)
                    _noteBareLf = true;
            }
            if (await ExecuteLineAsync() == false)
                break;
        }
    }

    /// <summary>Parses and runs one command line; false ends the session.</summary>
    private async ValueTask<bool> ExecuteLineAsync()
    {
        string line;
        try
        {
            line = _settings.SmtputF8Enable ? StrictUtf8.GetString(_reader.Line) : Encoding.Latin1.GetString(_reader.Line);
        }
        catch (DecoderFallbackException)
        {
            await ReplyAsync("500 5.5.2 Error: bad UTF-8 syntax");
            CountError(SmtpCommand.Unknown);
            return true;
        }
        var trimmed = line.TrimStart(' ', '\t');
        var space = trimmed.IndexOfAny([' ', '\t']);
        var verb = space < 0 ? trimmed : trimmed[..space];
        var args = space < 0 ? "" : trimmed[(space + 1)..].Trim(' ', '\t');
        if (verb.Length == 0)
        {
            await ReplyAsync("500 5.5.2 Error: bad syntax");
            CountError(SmtpCommand.Unknown);
            _where = "UNKNOWN";
            return true;
        }

        var command = SmtpCommandTable.Parse(verb);
        _total[(int)command]++;
        if (command == SmtpCommand.Unknown)
        {
            _where = "UNKNOWN";
            if (IsForbiddenCommand(verb))
            {
                Log($"warning: non-SMTP command from {NameAddr}: {Escape(Encoding.UTF8.GetBytes(line), 100)}");
                await ReplyAsync("221 2.7.0 Error: I can break rules, too. Goodbye.");
                return false;
            }
        }
        if (!_accessDenied.IsPermit && command != SmtpCommand.Quit)
        {
            var denied = _accessDenied.Reply!;
            if (denied.Code is 421 or 521)
            {
                await ReplyAsync(denied.ToString());
                return false;
            }
            await ReplyAsync($"503 5.7.0 Error: access denied for {NameAddr}");
            _errorCount++;
            return true;
        }
        if (command == SmtpCommand.Unknown)
        {
            await ReplyAsync("500 5.5.2 Error: command not recognized");
            _errorCount++;
            return true;
        }
        if (_settings.TlsSecurityLevel == TlsSecurityLevel.Encrypt && !_info.TlsActive && !SmtpCommandTable.IsAllowedBeforeTls(command))
        {
            await ReplyAsync("530 5.7.0 Must issue a STARTTLS command first");
            _errorCount++;
            return true;
        }
        _where = verb.ToUpperInvariant();
        if ((_info.Protocol != "ESMTP" || SmtpCommandTable.IsLastInGroup(command))
            && !_illPipeliningFlagged
            && SmtpLineReader.HasPendingInput(_transport, out var pending))
        {
            FlagIllPipelining(pending);
            if (_settings.ForbidUnauthPipelining)
            {
                Reject("pipelining");
                await ReplyAsync("554 5.5.0 Error: SMTP protocol synchronization");
                return false;
            }
        }

        var ok = command switch
        {
            SmtpCommand.Helo => await HeloAsync(args),
            SmtpCommand.Ehlo => await EhloAsync(args),
            SmtpCommand.Starttls => await StartTlsAsync(args),
            SmtpCommand.Auth => await AuthAsync(args),
            SmtpCommand.Mail => await MailAsync(args),
            SmtpCommand.Rcpt => await RcptAsync(args),
            SmtpCommand.Data => await DataAsync(args),
            SmtpCommand.Bdat => await BdatAsync(args),
            SmtpCommand.Rset => await RsetAsync(args),
            SmtpCommand.Noop => await NoopAsync(args),
            SmtpCommand.Vrfy => await VrfyAsync(args),
            SmtpCommand.Etrn => await EtrnAsync(args),
            SmtpCommand.Quit => await QuitAsync(),
            SmtpCommand.Help => await HelpAsync(),
            _ => false,
        };
        if (ok)
            _success[(int)command]++;
        else
            _errorCount++;
        if (SmtpCommandTable.IsJunkLimited(command) && _junkCommands++ > _settings.JunkCommandLimit)
            _errorCount++;
        return command != SmtpCommand.Quit;
    }

    private void CountError(SmtpCommand command)
    {
        _total[(int)command]++;
        _errorCount++;
    }

    private static bool IsForbiddenCommand(string verb)
    {
        // smtpd_forbidden_commands default: CONNECT GET POST regexp:{{/^[^A-Z]/ Bogus}}, plus anything that looks like a header.
        if (verb.EndsWith(':') || verb.Equals("CONNECT", StringComparison.OrdinalIgnoreCase)
            || verb.Equals("GET", StringComparison.OrdinalIgnoreCase) || verb.Equals("POST", StringComparison.OrdinalIgnoreCase))
            return true;
        return verb[0] is < 'A' or > 'Z';
    }

    private void FlagIllPipelining(ReadOnlySequence<byte> pending)
    {
        _illPipeliningFlagged = true;
        Log($"improper command pipelining after {_where} from {NameAddr}: {Escape(pending.ToArray(), 100)}");
    }

    private bool IsExcludedFromBareLf(IPAddress address)
    {
        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in _settings.ForbidBareNewlineExclusions)
            if (network.Contains(a))
                return true;
        return false;
    }

    /// <summary>Reads one line with smtpd_timeout armed; replies are flushed before blocking.</summary>
    private async ValueTask<LineStatus> ReadLineAsync(bool command, SmtpLineReader? reader = null)
    {
        reader ??= _reader;
        _timeout.CancelAfter(_settings.Timeout);
        var status = command
            ? await reader.ReadCommandAsync(_transport, _detectBareLf, _flush, _timeout.Token)
            : await reader.ReadContentAsync(_transport, _detectBareLf, _flush, _timeout.Token);
        if (!_timeout.TryReset())
        {
            _timeout.Dispose();
            _timeout = new CancellationTokenSource();
        }
        return status;
    }

    private async ValueTask FlushAsync()
    {
        var result = await _transport.Output.FlushAsync(_aborted);
        if (result.IsCompleted)
            throw new ConnectionClosedException();
    }
}

/// <summary>The peer closed the connection while we were writing.</summary>
internal sealed class ConnectionClosedException() : IOException("connection closed by peer");

using System.Text;

namespace Mta.Smtp.Server;

/// <summary>Replies (smtpd_chat_reply) and Postfix-shaped session log lines.</summary>
internal sealed partial class SmtpSession
{
    /// <summary>Queues one reply line (smtpd_chat_reply): error replies are delayed after smtpd_soft_error_limit; 421/521 hang up.</summary>
    private async ValueTask ReplyAsync(string reply)
    {
        if (reply.Length > 0 && reply[0] is '4' or '5' && _errorCount >= _settings.SoftErrorLimit && _settings.ErrorSleepTime > TimeSpan.Zero)
        {
            await FlushAsync();
            await Task.Delay(_settings.ErrorSleepTime, _clock, _aborted);
        }
        WriteLine(reply);
        if (reply.StartsWith("421", StringComparison.Ordinal) || reply.StartsWith("521", StringComparison.Ordinal))
        {
            _hangup = true;
            await FlushAsync();
        }
    }

    private void WriteLine(string reply)
    {
        if (_settings.IsKeywordDiscarded("enhancedstatuscodes"))
            reply = WithoutEnhancedCode(reply);
        var output = _transport.Output;
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(reply.Length) + 2);
        var n = Encoding.UTF8.GetBytes(reply, span);
        span[n] = (byte)'\r';
        span[n + 1] = (byte)'\n';
        output.Advance(n + 2);
    }

    /// <summary>With ENHANCEDSTATUSCODES discarded, "250 2.1.0 Ok" goes out as "250 Ok" (as Postfix does).</summary>
    private static string WithoutEnhancedCode(string reply)
    {
        if (reply.Length < 10 || reply[3] != ' ' || reply[4] is < '2' or > '5' || reply[5] != '.')
            return reply;
        var end = reply.IndexOf(' ', 4);
        return end < 0 ? reply : string.Concat(reply.AsSpan(0, 4), reply.AsSpan(end + 1));
    }

    private async ValueTask TryReplyAsync(string reply)
    {
        try
        {
            WriteLine(reply);
            await _transport.Output.FlushAsync(_aborted);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The client is gone.
        }
    }

    private static void Reject(string reason) => SmtpdMetrics.Rejects.WithLabels(reason).Inc();

    /// <summary>log_whatsup(): "ID: reject: CMD from host[addr]: text; from=&lt;s&gt; to=&lt;r&gt; proto=P helo=&lt;h&gt;".</summary>
    private void LogWhatsup(string whatsup, string text, string? recipient = null)
    {
        var sb = new StringBuilder();
        sb.Append(_queueId?.Value ?? "NOQUEUE").Append(": ").Append(whatsup).Append(": ").Append(_where)
          .Append(" from ").Append(NameAddr).Append(": ").Append(text).Append(';');
        if (_sender is not null)
            sb.Append(" from=<").Append(_sender).Append('>');
        if (recipient is not null)
            sb.Append(" to=<").Append(recipient).Append('>');
        sb.Append(" proto=").Append(_info.Protocol);
        if (_info.HeloName is not null)
            sb.Append(" helo=<").Append(_info.HeloName).Append('>');
        if (_info.SaslMethod is not null)
            sb.Append(" sasl_method=").Append(_info.SaslMethod);
        if (_info.SaslUsername is not null)
            sb.Append(" sasl_username=").Append(_info.SaslUsername);
        Log(sb.ToString());
    }

    private void LogAbnormalEnd()
    {
        if (_reason is null)
            return;
        var id = _queueId?.Value ?? "NOQUEUE";
        if (_where == "DATA" && _dataBytes >= 0)
            Log($"{id}: {_reason} after DATA ({_dataBytes} bytes) from {NameAddr}");
        else if (_where == "BDAT" && _dataBytes >= 0)
            Log($"{id}: {_reason} after BDAT ({_dataBytes} bytes) from {NameAddr}");
        else if (_where != "END-OF-MESSAGE" || _reason != "lost connection")
            Log($"{id}: {_reason} after {_where} from {NameAddr}");
    }

    /// <summary>" ehlo=1 mail=1 rcpt=0/1 ... commands=N[/M] [notes=bare_lf]".</summary>
    private string FormatStatistics()
    {
        var sb = new StringBuilder();
        int success = 0, total = 0;
        for (var i = 0; i < _total.Length; i++)
        {
            if (_total[i] == 0)
                continue;
            sb.Append(' ').Append(SmtpCommandTable.Names[i]).Append('=').Append(_success[i]);
            if (_success[i] != _total[i])
                sb.Append('/').Append(_total[i]);
            success += _success[i];
            total += _total[i];
        }
        sb.Append(" commands=").Append(success);
        if (success != total || total == 0)
            sb.Append('/').Append(total);
        if (_noteBareLf)
            sb.Append(" notes=bare_lf");
        return sb.ToString();
    }

    /// <summary>Postfix's escape(): printable ASCII as is, the rest as C escapes.</summary>
    internal static string Escape(ReadOnlySpan<byte> bytes, int max)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes[..Math.Min(max, bytes.Length)])
        {
            switch (b)
            {
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\t': sb.Append("\\t"); break;
                case (byte)'\\': sb.Append("\\\\"); break;
                case < 32 or >= 127: sb.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0')); break;
                default: sb.Append((char)b); break;
            }
        }
        return sb.ToString();
    }
}

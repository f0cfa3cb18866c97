using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Mta.Delivery.Tests.Smtp;

/// <summary>
/// A tiny SMTP/LMTP server over a real socket on 127.0.0.1 whose replies a test chooses: greeting, EHLO
/// keywords, a reply per RCPT address, end-of-data replies (one per recipient for LMTP), STARTTLS with a
/// given certificate. It records every session's commands and the raw DATA bytes (still dot-stuffed).
/// </summary>
public sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private readonly ConcurrentBag<Task> _sessions = [];

    public ScriptedSmtpServer()
    {
        _listener.Start();
        _accept = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Greeting { get; set; } = "220 mx.test ESMTP";
    public bool Lmtp { get; set; }
    public List<string> Extensions { get; set; } = ["PIPELINING", "SIZE 10240000", "8BITMIME", "DSN", "SMTPUTF8", "ENHANCEDSTATUSCODES"];
    public string MailReply { get; set; } = "250 2.1.0 Ok";
    public Func<string, string> RcptReply { get; set; } = _ => "250 2.1.5 Ok";
    public string DataEndReply { get; set; } = "250 2.0.0 Ok: queued as ABC";
    /// <summary>LMTP: the end-of-data reply for one accepted recipient address.</summary>
    public Func<string, string> LmtpDataReply { get; set; } = rcpt => $"250 2.0.0 <{rcpt}> Ok";
    /// <summary>STARTTLS is offered with this certificate when set.</summary>
    public X509Certificate2? Certificate { get; set; }
    /// <summary>Answer STARTTLS with 220, then send plaintext garbage and hang up: a failed handshake.</summary>
    public bool BreakTlsHandshake { get; set; }
    /// <summary>Hold MAIL and RCPT replies until DATA arrives: only a pipelining client gets through.</summary>
    public bool HoldRepliesUntilData { get; set; }

    public ConcurrentQueue<SessionRecord> Sessions { get; } = new();

    public sealed class SessionRecord
    {
        public ConcurrentQueue<string> Commands { get; } = new();
        public ConcurrentQueue<byte[]> Messages { get; } = new();
        public bool Tls { get; set; }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _sessions.Add(Task.Run(() => ServeAsync(client)));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var record = new SessionRecord();
        Sessions.Enqueue(record);
        using var _ = client;
        Stream stream = client.GetStream();
        var io = new LineIo(stream);
        var token = _stop.Token;
        try
        {
            await io.WriteAsync(Greeting + "\r\n", token);
            if (Greeting[0] != '2')
            {
                while (await io.ReadLineAsync(token) is { } l && !l.StartsWith("QUIT", StringComparison.OrdinalIgnoreCase)) { }
                return;
            }
            var held = new StringBuilder();
            var accepted = new List<string>();
            while (await io.ReadLineAsync(token) is { } line)
            {
                record.Commands.Enqueue(line);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                string reply;
                switch (verb)
                {
                    case "EHLO" or "LHLO":
                        var keywords = Extensions.ToList();
                        if (Certificate is not null && !record.Tls)
                            keywords.Add("STARTTLS");
                        reply = string.Concat(keywords.Select(k => $"250-{k}\r\n")) + "250 HELP";
                        reply = "250-mx.test\r\n" + reply;
                        break;
                    case "HELO":
                        reply = "250 mx.test";
                        break;
                    case "STARTTLS":
                        await io.WriteAsync("220 2.0.0 Ready to start TLS\r\n", token);
                        if (BreakTlsHandshake)
                        {
                            await io.WriteAsync("this is not a TLS server hello\r\n", token);
                            return;
                        }
                        var tls = new SslStream(stream);
                        await tls.AuthenticateAsServerAsync(Certificate!);
                        stream = tls;
                        io = new LineIo(stream);
                        record.Tls = true;
                        continue;
                    case "MAIL":
                        accepted.Clear();
                        reply = MailReply;
                        break;
                    case "RCPT":
                        var address = Between(line, '<', '>');
                        reply = RcptReply(address);
                        if (reply[0] == '2')
                            accepted.Add(address);
                        break;
                    case "DATA":
                        if (held.Length > 0)
                        {
                            await io.WriteAsync(held.ToString(), token);
                            held.Clear();
                        }
                        if (accepted.Count == 0)
                        {
                            await io.WriteAsync("554 5.5.1 Error: no valid recipients\r\n", token);
                            continue;
                        }
                        await io.WriteAsync("354 End data with <CR><LF>.<CR><LF>\r\n", token);
                        record.Messages.Enqueue(await io.ReadDataAsync(token));
                        reply = Lmtp
                            ? string.Join("\r\n", accepted.Select(LmtpDataReply))
                            : DataEndReply;
                        break;
                    case "RSET":
                        accepted.Clear();
                        reply = "250 2.0.0 Ok";
                        break;
                    case "QUIT":
                        await io.WriteAsync("221 2.0.0 Bye\r\n", token);
                        return;
                    default:
                        reply = "502 5.5.2 Error: command not recognized";
                        break;
                }
                if (HoldRepliesUntilData && verb is "MAIL" or "RCPT")
                    held.Append(reply).Append("\r\n");
                else
                    await io.WriteAsync(reply + "\r\n", token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Client went away or the test ended.
        }
    }

    private static string Between(string text, char open, char close)
    {
        var start = text.IndexOf(open);
        var end = text.IndexOf(close, start + 1);
        return start < 0 || end < 0 ? "" : text[(start + 1)..end];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        await Task.WhenAll(_sessions);
        _stop.Dispose();
    }

    /// <summary>Reads CRLF lines and raw DATA from a stream without a StreamReader's hidden buffering past TLS.</summary>
    private sealed class LineIo(Stream stream)
    {
        private readonly byte[] _buffer = new byte[65536];
        private int _start, _end;

        public Task WriteAsync(string text, CancellationToken token) =>
            stream.WriteAsync(Encoding.UTF8.GetBytes(text), token).AsTask();

        public async Task<string?> ReadLineAsync(CancellationToken token)
        {
            var line = await ReadRawLineAsync(token);
            return line is null ? null : Encoding.UTF8.GetString(line).TrimEnd('\r', '\n');
        }

        /// <summary>DATA content up to and excluding the ".\r\n" line, bytes exactly as sent.</summary>
        public async Task<byte[]> ReadDataAsync(CancellationToken token)
        {
            var data = new MemoryStream();
            while (await ReadRawLineAsync(token) is { } line)
            {
                if (line.AsSpan().SequenceEqual(".\r\n"u8))
                    break;
                data.Write(line);
            }
            return data.ToArray();
        }

        private async Task<byte[]?> ReadRawLineAsync(CancellationToken token)
        {
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline >= 0)
                {
                    var line = _buffer.AsSpan(_start, newline + 1 - _start).ToArray();
                    _start = newline + 1;
                    return line;
                }
                if (_start > 0)
                {
                    Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                var n = await stream.ReadAsync(_buffer.AsMemory(_end), token);
                if (n == 0)
                    return null;
                _end += n;
            }
        }
    }
}

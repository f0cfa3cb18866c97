using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Mta.Smtp.Tests.Support;

/// <summary>A byte-exact SMTP client over a plain socket (optionally upgraded to TLS) for protocol edge cases.</summary>
public sealed class RawSmtpClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream;
    private readonly List<byte> _pending = [];

    private RawSmtpClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawSmtpClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        tcp.NoDelay = true;
        return new RawSmtpClient(tcp);
    }

    public async Task SendAsync(string text) => await SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Reads one reply line (without CRLF); null at end of stream.</summary>
    public async Task<string?> ReadLineAsync(int timeoutMs = 4000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        var buffer = new byte[4096];
        while (true)
        {
            var nl = _pending.IndexOf((byte)'\n');
            if (nl >= 0)
            {
                var line = Encoding.UTF8.GetString(_pending.GetRange(0, nl).ToArray()).TrimEnd('\r');
                _pending.RemoveRange(0, nl + 1);
                return line;
            }
            var n = await _stream.ReadAsync(buffer, cts.Token);
            if (n == 0)
                return _pending.Count == 0 ? null : Encoding.UTF8.GetString([.. _pending]);
            _pending.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>Reads a whole (possibly multi-line) reply, lines joined with "\n".</summary>
    public async Task<string> ReadReplyAsync(int timeoutMs = 4000)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(timeoutMs) ?? throw new IOException("connection closed; got: " + string.Join("\n", lines));
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
                return string.Join("\n", lines);
        }
    }

    public async Task<string> CommandAsync(string command)
    {
        await SendAsync(command + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>True when the server closed the connection (next read returns end of stream).</summary>
    public async Task<bool> IsClosedAsync(int timeoutMs = 3000)
    {
        try
        {
            return await ReadLineAsync(timeoutMs) is null;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async Task StartTlsAsync()
    {
        var ssl = new SslStream(_tcp.GetStream(), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync("mx.example.com");
        _stream = ssl;
        _pending.Clear();
    }

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}

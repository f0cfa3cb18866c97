using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Mta.Operator.Controller;

/// <summary>
/// Just enough of the Redis protocol (RESP2) for the operator's few read-only probe commands; the operator has no
/// Redis client library and needs none for PING/AUTH/SELECT/TYPE/LLEN/ZCARD/SCAN.
/// </summary>
public sealed class RespConnection : IAsyncDisposable
{
    private readonly TcpClient tcp;
    private readonly NetworkStream stream;
    private readonly BufferedStream reader;

    private RespConnection(TcpClient tcp)
    {
        this.tcp = tcp;
        stream = tcp.GetStream();
        reader = new BufferedStream(stream);
    }

    public static async Task<RespConnection> ConnectAsync(string host, int port, CancellationToken ct)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, ct).ConfigureAwait(false);
            return new RespConnection(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends one command; returns a string, a long, null, or an object?[] for arrays. Redis errors throw.</summary>
    public async Task<object?> CommandAsync(CancellationToken ct, params string[] args)
    {
        var request = new StringBuilder().Append('*').Append(args.Length).Append("\r\n");
        foreach (var arg in args)
            request.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), ct).ConfigureAwait(false);
        return await ReadReplyAsync(ct).ConfigureAwait(false);
    }

    private async Task<object?> ReadReplyAsync(CancellationToken ct)
    {
        var line = await ReadLineAsync(ct).ConfigureAwait(false);
        var body = line[1..];
        switch (line[0])
        {
            case '+': return body;
            case '-': throw new InvalidOperationException("redis: " + body);
            case ':': return long.Parse(body, CultureInfo.InvariantCulture);
            case '$':
                var length = int.Parse(body, CultureInfo.InvariantCulture);
                if (length < 0) return null;
                var buffer = new byte[length + 2];
                await reader.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
                return Encoding.UTF8.GetString(buffer, 0, length);
            case '*':
                var count = int.Parse(body, CultureInfo.InvariantCulture);
                if (count < 0) return null;
                var items = new object?[count];
                for (var i = 0; i < count; i++) items[i] = await ReadReplyAsync(ct).ConfigureAwait(false);
                return items;
            default:
                throw new InvalidOperationException("redis: unexpected reply " + line);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        var bytes = new List<byte>(64);
        var one = new byte[1];
        while (true)
        {
            if (await reader.ReadAsync(one, ct).ConfigureAwait(false) == 0) throw new IOException("redis closed the connection");
            if (one[0] == '\n' && bytes.Count > 0 && bytes[^1] == '\r') return Encoding.UTF8.GetString(bytes.ToArray(), 0, bytes.Count - 1);
            bytes.Add(one[0]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync().ConfigureAwait(false);
        tcp.Dispose();
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mta.Queue;

namespace Mta.Tests.Redis;

/// <summary>
/// A real /usr/bin/redis-server on a free 127.0.0.1 port in its own temp directory, configured as shipped
/// (AOF, fsync always, no RDB). <see cref="Kill"/> is SIGKILL; <see cref="StartAsync"/> again restarts it on the
/// same port and data, so only what the AOF held survives.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    public int Port { get; } = LocalPorts.Free();
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("mta-redis-").FullName;
    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>The store settings a test uses to look into this server, as main.cf would give them.</summary>
    public QueueStoreSettings Settings => new(QueueStoreSettings.RedisBackend, "", Url);

    public static async Task<RedisServer> StartNewAsync()
    {
        var server = new RedisServer();
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("/usr/bin/redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", DataDirectory,
                     "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no", "--logfile", "redis.log" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start redis-server");
        var deadline = Stopwatch.StartNew();
        while (!await PingAsync())
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
                throw new InvalidOperationException("redis-server did not start: " + await ReadLogAsync());
            await Task.Delay(20);
        }
    }

    /// <summary>SIGKILL: no shutdown and no final fsync.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    private async Task<string> ReadLogAsync()
    {
        var log = Path.Combine(DataDirectory, "redis.log");
        return File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no log)";
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            int read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}

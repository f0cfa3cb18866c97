using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Mta.Operator.Api;
using Mta.Operator.Controller;
using Mta.Operator.Tests.FakeApi;

namespace Mta.Operator.Tests;

/// <summary>status.queued and RedisReady come from a real redis-server (the MailServer's external Redis).</summary>
public sealed class ControllerQueueDepthTests : IAsyncLifetime
{
    private ControllerHarness h = null!;
    private Process? redis;
    private string dir = "";
    private int port;

    public async Task InitializeAsync()
    {
        h = await ControllerHarness.StartAsync();
        dir = Directory.CreateTempSubdirectory("mta-op-redis").FullName;
        port = FreePort();
        redis = Process.Start(new ProcessStartInfo("/usr/bin/redis-server", ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir])
        {
            RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        await ControllerHarness.Eventually(() => Cli("PING") == "PONG", "redis-server answers");
    }

    public async Task DisposeAsync()
    {
        await h.DisposeAsync();
        StopRedis();
        Directory.Delete(dir, recursive: true);
    }

    private void StopRedis()
    {
        if (redis is { HasExited: false }) { redis.Kill(); redis.WaitForExit(); }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private string Cli(params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("/usr/bin/redis-cli", ["-h", "127.0.0.1", "-p", port.ToString(), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return output;
    }

    [Fact]
    public async Task QueueDepthAndRedisReadyFollowTheQueueStore()
    {
        Cli("RPUSH", "mta:{q0}:active", "A1", "A2", "A3");
        Cli("ZADD", "mta:{q1}:deferred", "1", "D1", "2", "D2");
        Cli("SET", "mta:{q0}:msg:A1", "not a queue"); // other keys do not count
        var probe = new RedisQueueProbe(h.Kube, RedisQueueProbe.DefaultQueueKeyPatterns, TimeSpan.FromSeconds(2));
        await h.StartOperatorAsync(probe: probe, tune: o => o with { ResyncPeriod = TimeSpan.FromMilliseconds(300) });
        var spec = """{"domain":"example.org","redis":{"external":{"url":"redis://127.0.0.1:PORT/0"}}}""".Replace("PORT", port.ToString());
        h.CreateMailServer("m", spec);

        await ControllerHarness.Eventually(() => JsonTree.Long(JsonTree.At(h.MailServer("m"), ["status", "queued"])) == 5, "status.queued = 5");
        Assert.Equal("True", ControllerHarness.ConditionStatus(h.MailServer("m"), ConditionTypes.RedisReady));

        Cli("RPUSH", "mta:{q3}:active", "A4");
        await ControllerHarness.Eventually(() => JsonTree.Long(JsonTree.At(h.MailServer("m"), ["status", "queued"])) == 6, "status.queued follows the queue on resync");

        StopRedis();
        await ControllerHarness.Eventually(() => ControllerHarness.ConditionStatus(h.MailServer("m"), ConditionTypes.RedisReady) == "False", "RedisReady=False once Redis is gone");
        Assert.Equal("Unreachable", JsonTree.Str(ControllerHarness.Condition(h.MailServer("m"), ConditionTypes.RedisReady), "reason"));
        Assert.Equal(6, JsonTree.Long(JsonTree.At(h.MailServer("m"), ["status", "queued"]))); // last known depth kept
    }
}

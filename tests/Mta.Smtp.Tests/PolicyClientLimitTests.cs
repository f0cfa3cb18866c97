using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Mta.Config.Tables;
using Mta.Smtp.Policy;
using StackExchange.Redis;

namespace Mta.Smtp.Tests;

/// <summary>anvil limits: connection count and rate, message/recipient rates, exemptions, shared through Redis.</summary>
public sealed class PolicyClientLimitTests
{
    private static SessionInfo Client(string address, string service = "smtp") =>
        new(IPAddress.Parse(address), 40000, null, service);

    private static ClientLimits Limits(IClientLimiter limiter, List<string> log, int count = 50, int rate = 0,
        int messages = 0, int recipients = 0) =>
        new(new ClientLimitSettings
            {
                MyHostname = "mx.example.com",
                SmtpdClientConnectionCountLimit = count,
                SmtpdClientConnectionRateLimit = rate,
                SmtpdClientMessageRateLimit = messages,
                SmtpdClientRecipientRateLimit = recipients,
            }, limiter,
            NetworkMatchList.Parse("smtpd_client_event_limit_exceptions", "192.0.2.0/24", true, new LookupTableFactory()),
            log.Add);

    [Fact]
    public async Task ConcurrencyLimitRefusesTheConnectionOverTheLimit()
    {
        var log = new List<string>();
        var limits = Limits(new InProcessClientLimiter(TimeSpan.FromSeconds(60)), log, count: 2);
        var first = await limits.AdmitAsync(Client("198.51.100.7"), default);
        var second = await limits.AdmitAsync(Client("198.51.100.7"), default);
        var third = await limits.AdmitAsync(Client("198.51.100.7"), default);
        Assert.Null(first.Refusal);
        Assert.Null(second.Refusal);
        Assert.Equal("421 4.7.0 mx.example.com Error: too many connections from 198.51.100.7", third.Refusal?.ToString());
        Assert.Equal("warning: Connection concurrency limit exceeded: 3 from unknown[198.51.100.7] for service smtp", Assert.Single(log));

        await third.Lease.DisposeAsync();
        await first.Lease.DisposeAsync();
        Assert.Null((await limits.AdmitAsync(Client("198.51.100.7"), default)).Refusal);
        Assert.Null((await limits.AdmitAsync(Client("198.51.100.8"), default)).Refusal);
        Assert.Null((await limits.AdmitAsync(Client("198.51.100.7", "submission"), default)).Refusal);
    }

    [Fact]
    public async Task RateLimitUsesAnvilTimeUnit()
    {
        var clock = new ManualClock();
        var log = new List<string>();
        var limits = Limits(new InProcessClientLimiter(TimeSpan.FromSeconds(60), clock), log, rate: 3);
        for (var i = 0; i < 3; i++)
            await (await limits.AdmitAsync(Client("198.51.100.7"), default)).Lease.DisposeAsync();
        var fourth = await limits.AdmitAsync(Client("198.51.100.7"), default);
        Assert.Equal("421 4.7.0 mx.example.com Error: too many connections from 198.51.100.7", fourth.Refusal?.ToString());
        Assert.Contains("warning: Connection rate limit exceeded: 4 from unknown[198.51.100.7] for service smtp", log);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Null((await limits.AdmitAsync(Client("198.51.100.7"), default)).Refusal);
    }

    [Fact]
    public async Task ExemptClientsAreNeverLimited()
    {
        var limits = Limits(new InProcessClientLimiter(TimeSpan.FromSeconds(60)), new List<string>(), count: 1, messages: 1);
        for (var i = 0; i < 5; i++)
        {
            Assert.Null((await limits.AdmitAsync(Client("192.0.2.10"), default)).Refusal);
            Assert.Null(await limits.CheckMessageAsync(Client("192.0.2.10"), default));
        }
    }

    [Fact]
    public async Task MessageAndRecipientRates()
    {
        var log = new List<string>();
        var limits = Limits(new InProcessClientLimiter(TimeSpan.FromSeconds(60)), log, messages: 1, recipients: 2);
        var client = Client("2001:db8::7");
        Assert.Null(await limits.CheckMessageAsync(client, default));
        Assert.Equal("450 4.7.1 Error: too much mail from 2001:db8::7", (await limits.CheckMessageAsync(client, default))?.ToString());
        Assert.Null(await limits.CheckRecipientAsync(client, default));
        Assert.Null(await limits.CheckRecipientAsync(client, default));
        Assert.Equal("450 4.7.1 Error: too many recipients from 2001:db8::7", (await limits.CheckRecipientAsync(client, default))?.ToString());
        // Same /84 block counts together.
        Assert.NotNull(await limits.CheckMessageAsync(Client("2001:db8::1:0:9"), default));
        Assert.Contains("warning: Message delivery request rate limit exceeded: 2 from unknown[2001:db8::7] for service smtp", log);
    }

    [Theory]
    [InlineData("198.51.100.7", "198.51.100.7")]
    [InlineData("::ffff:198.51.100.7", "198.51.100.7")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2:3::/84")]
    public void ClientKeysAggregateIpv6Blocks(string address, string key)
    {
        Assert.Equal(key, ClientKey.For(IPAddress.Parse(address)));
    }

    [Fact]
    public async Task RedisLimiterCountsAcrossInstancesAndReleases()
    {
        await using var redis = await RedisServer.StartAsync();
        using var mux1 = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        using var mux2 = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var podA = Limits(new RedisClientLimiter(mux1, TimeSpan.FromSeconds(60)), new List<string>(), count: 2, rate: 10);
        var podB = Limits(new RedisClientLimiter(mux2, TimeSpan.FromSeconds(60)), new List<string>(), count: 2, rate: 10);

        var a = await podA.AdmitAsync(Client("198.51.100.7"), default);
        var b = await podB.AdmitAsync(Client("198.51.100.7"), default);
        var c = await podA.AdmitAsync(Client("198.51.100.7"), default);
        Assert.Null(a.Refusal);
        Assert.Null(b.Refusal);
        Assert.Equal("421 4.7.0 mx.example.com Error: too many connections from 198.51.100.7", c.Refusal?.ToString());
        await c.Lease.DisposeAsync();
        await b.Lease.DisposeAsync();
        Assert.Null((await podB.AdmitAsync(Client("198.51.100.7"), default)).Refusal);
    }

    [Fact]
    public async Task RedisLimiterDropsLeasesOfDeadPodsAndCountsRates()
    {
        await using var redis = await RedisServer.StartAsync();
        var deadPod = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        using var live = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        // Wide enough that a loaded machine (slow first script load, late refreshes) keeps the counts before the wait.
        var unit = TimeSpan.FromMilliseconds(1500);
        var ttl = TimeSpan.FromMilliseconds(1000);
        var limiter = new RedisClientLimiter(deadPod, unit, leaseTtl: ttl);
        Assert.Equal((1, 1), Counts(await limiter.ConnectAsync("smtp", "198.51.100.9", default)));
        Assert.Equal((2, 2), Counts(await limiter.ConnectAsync("smtp", "198.51.100.9", default)));
        Assert.Equal(1, await limiter.CountEventAsync("smtp", "198.51.100.9", ClientEventKind.Message, default));
        Assert.Equal(2, await limiter.CountEventAsync("smtp", "198.51.100.9", ClientEventKind.Message, default));

        // The pod dies without closing its connections: nobody refreshes their leases any more.
        deadPod.Dispose();
        var survivor = new RedisClientLimiter(live, unit, leaseTtl: ttl);
        Assert.Equal((3, 3), Counts(await survivor.ConnectAsync("smtp", "198.51.100.9", default)));
        await Task.Delay(1600);
        Assert.Equal((2, 1), Counts(await survivor.ConnectAsync("smtp", "198.51.100.9", default)));
        Assert.Equal(1, await survivor.CountEventAsync("smtp", "198.51.100.9", ClientEventKind.Message, default));
    }

    private static (int, int) Counts(ClientConnectionLease lease) => (lease.Count, lease.Rate);

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;
        public override long GetTimestamp() => _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}

/// <summary>A private redis-server on a free 127.0.0.1 port in a temp directory, for one test.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private RedisServer(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Configuration = $"127.0.0.1:{port},abortConnect=false,connectTimeout=2000";
    }

    public string Configuration { get; }

    public static async Task<RedisServer> StartAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var dir = Directory.CreateTempSubdirectory("mta-redis-").FullName;
        var process = Process.Start(new ProcessStartInfo("/usr/bin/redis-server",
            ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var server = new RedisServer(process, dir, port);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        await server.DisposeAsync();
        throw new InvalidOperationException("redis-server did not start");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

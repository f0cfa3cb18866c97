using Mta.Config.Tables;
using Mta.Smtp.Policy;
using Mta.Smtp.Tests.Support;
using StackExchange.Redis;

namespace Mta.Smtp.Tests;

/// <summary>anvil limits as a real smtpd applies them: 421 before the greeting, 450 at MAIL and RCPT.</summary>
public sealed class AnvilSessionTests
{
    private const string TooMany = "421 4.7.0 mx.example.com Error: too many connections from 127.0.0.1";

    private static ClientLimits Limits(IClientLimiter limiter, int count = 50, int rate = 0, int messages = 0,
        int recipients = 0, string exceptions = "192.0.2.0/24") =>
        new(new ClientLimitSettings
            {
                MyHostname = "mx.example.com",
                SmtpdClientConnectionCountLimit = count,
                SmtpdClientConnectionRateLimit = rate,
                SmtpdClientMessageRateLimit = messages,
                SmtpdClientRecipientRateLimit = recipients,
            }, limiter,
            NetworkMatchList.Parse("smtpd_client_event_limit_exceptions", exceptions, true, new LookupTableFactory()));

    private static InProcessClientLimiter InProcess() => new(TimeSpan.FromSeconds(60));

    private static async Task<RawSmtpClient> GreetedAsync(TestServer server)
    {
        var client = await server.ConnectAsync();
        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        return client;
    }

    private static async Task AssertRefusedAsync(TestServer server)
    {
        await using var refused = await server.ConnectAsync();
        Assert.Equal(TooMany, await refused.ReadReplyAsync());
        Assert.True(await refused.IsClosedAsync());
    }

    [Fact]
    public async Task ConnectionOverTheConcurrencyLimitGets421AndTheSlotFreesAtDisconnect()
    {
        await using var server = await TestServer.StartAsync(limits: Limits(InProcess(), count: 2));
        var first = await GreetedAsync(server);
        await using var second = await GreetedAsync(server);
        await AssertRefusedAsync(server);
        await server.Log.WaitForAsync(l => l == "warning: Connection concurrency limit exceeded: 3 from unknown[127.0.0.1] for service smtp");

        Assert.StartsWith("221 ", await first.CommandAsync("QUIT"));
        await first.DisposeAsync();
        // The refused session and the first one both ended: their leases are gone.
        await WaitForDisconnectsAsync(server, 2);
        await using var third = await GreetedAsync(server);
    }

    [Fact]
    public async Task FourthConnectionInTheRateUnitIsRefused()
    {
        await using var server = await TestServer.StartAsync(limits: Limits(InProcess(), rate: 3));
        for (var i = 0; i < 3; i++)
        {
            await using var client = await GreetedAsync(server);
            await client.CommandAsync("QUIT");
        }
        await AssertRefusedAsync(server);
        await server.Log.WaitForAsync(l => l == "warning: Connection rate limit exceeded: 4 from unknown[127.0.0.1] for service smtp");
    }

    [Fact]
    public async Task ClientInEventLimitExceptionsIsNeverLimited()
    {
        await using var server = await TestServer.StartAsync(
            limits: Limits(InProcess(), count: 1, rate: 1, messages: 1, exceptions: "127.0.0.0/8"));
        var clients = new List<RawSmtpClient>();
        for (var i = 0; i < 3; i++)
            clients.Add(await GreetedAsync(server));
        foreach (var client in clients)
        {
            await client.CommandAsync("EHLO c");
            Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@example.org>"));
            await client.DisposeAsync();
        }
        Assert.DoesNotContain(server.Log.Lines, l => l.Contains("limit exceeded"));
    }

    [Fact]
    public async Task MessageAndRecipientRatesAnswer450()
    {
        await using var server = await TestServer.StartAsync(limits: Limits(InProcess(), messages: 1, recipients: 2));
        await using var client = await GreetedAsync(server);
        await client.CommandAsync("EHLO c");
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@example.org>"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<r1@example.com>"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<r2@example.com>"));
        Assert.Equal("450 4.7.1 Error: too many recipients from 127.0.0.1", await client.CommandAsync("RCPT TO:<r3@example.com>"));
        Assert.StartsWith("250 ", await client.CommandAsync("RSET"));
        Assert.Equal("450 4.7.1 Error: too much mail from 127.0.0.1", await client.CommandAsync("MAIL FROM:<a@example.org>"));
        await server.Log.WaitForAsync(l => l == "warning: Message delivery request rate limit exceeded: 2 from unknown[127.0.0.1] for service smtp");
        await server.Log.WaitForAsync(l => l == "warning: Recipient address rate limit exceeded: 3 from unknown[127.0.0.1] for service smtp");
    }

    [Fact]
    public async Task RedisLimiterCountsConnectionsAcrossTwoSmtpdHosts()
    {
        await using var redis = await RedisServer.StartAsync();
        using var muxA = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        using var muxB = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await using var podA = await TestServer.StartAsync(limits: Limits(new RedisClientLimiter(muxA, TimeSpan.FromSeconds(60)), count: 2));
        await using var podB = await TestServer.StartAsync(limits: Limits(new RedisClientLimiter(muxB, TimeSpan.FromSeconds(60)), count: 2));

        var onA = await GreetedAsync(podA);
        await using var onB = await GreetedAsync(podB);
        await AssertRefusedAsync(podA);
        await AssertRefusedAsync(podB);
        await podA.Log.WaitForAsync(l => l == "warning: Connection concurrency limit exceeded: 3 from unknown[127.0.0.1] for service smtp");

        await onA.CommandAsync("QUIT");
        await onA.DisposeAsync();
        await WaitForDisconnectsAsync(podA, 2);
        await using var again = await GreetedAsync(podB);
    }

    [Fact]
    public async Task AllAddressesOfAServiceShareOneCountUnderTheServiceName()
    {
        // Like ServicePlan: one listener per address ("smtp/inet", "smtp/inet#1"), one limiter for the process.
        var limits = Limits(InProcess(), count: 2);
        await using var store = new TempDirQueueStore();
        var log = new ListLog();
        await using var host = new Mta.Smtp.Server.SmtpServerHost(store, log);
        var loopback = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0);
        await host.StartAsync(
        [
            new Mta.Smtp.Server.SmtpListener("smtp/inet", loopback, TestServer.Defaults, new PermitAllPolicy(), null, limits),
            new Mta.Smtp.Server.SmtpListener("smtp/inet#1", loopback, TestServer.Defaults, new PermitAllPolicy(), null, limits),
        ], CancellationToken.None);
        await using var first = await RawSmtpClient.ConnectAsync(host.BoundEndPoints["smtp/inet"].Port);
        Assert.StartsWith("220 ", await first.ReadReplyAsync());
        await using var second = await RawSmtpClient.ConnectAsync(host.BoundEndPoints["smtp/inet#1"].Port);
        Assert.StartsWith("220 ", await second.ReadReplyAsync());
        await using var third = await RawSmtpClient.ConnectAsync(host.BoundEndPoints["smtp/inet"].Port);
        Assert.Equal(TooMany, await third.ReadReplyAsync());
        await log.WaitForAsync(l => l == "warning: Connection concurrency limit exceeded: 3 from unknown[127.0.0.1] for service smtp");
    }

    private static async Task WaitForDisconnectsAsync(TestServer server, int count)
    {
        for (var i = 0; i < 150 && server.Log.Lines.Count(l => l.StartsWith("disconnect from ")) < count; i++)
            await Task.Delay(20);
        Assert.True(server.Log.Lines.Count(l => l.StartsWith("disconnect from ")) >= count, string.Join("\n", server.Log.Lines));
    }
}

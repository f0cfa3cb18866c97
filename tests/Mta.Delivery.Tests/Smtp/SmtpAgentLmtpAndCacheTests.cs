using Mta.Queue;

namespace Mta.Delivery.Tests.Smtp;

/// <summary>LMTP (LHLO, a reply per recipient after DATA) and the connection cache.</summary>
public sealed class SmtpAgentLmtpAndCacheTests
{
    private const string Body = "Subject: hi\r\n\r\nhello\r\n";

    [Fact]
    public async Task LmtpGivesEachRecipientItsOwnEndOfDataReply()
    {
        await using var server = new ScriptedSmtpServer
        {
            Lmtp = true,
            LmtpDataReply = rcpt => rcpt switch
            {
                "full@x.test" => "452 4.2.2 <full@x.test> Mailbox full",
                "gone@x.test" => "550 5.1.1 <gone@x.test> User doesn't exist",
                _ => $"250 2.0.0 <{rcpt}> Saved",
            },
        };
        await using var harness = new SmtpAgentHarness("lmtp");

        var results = await harness.DeliverAsync(SmtpAgentHarness.Request($"inet:127.0.0.1:{server.Port}", Body,
            ["ok@x.test", "full@x.test", "gone@x.test"], transport: "lmtp"));

        var byIndex = results.ToDictionary(r => r.Index);
        var host = "127.0.0.1[127.0.0.1]";
        Assert.Equal(RecipientOutcome.Delivered("2.0.0", "250 2.0.0 <ok@x.test> Saved"), byIndex[0].Outcome);
        Assert.Equal(RecipientOutcome.Deferred("4.2.2", $"host {host} said: 452 4.2.2 <full@x.test> Mailbox full (in reply to end of DATA command)"), byIndex[1].Outcome);
        Assert.Equal(RecipientOutcome.Bounced("5.1.1", $"host {host} said: 550 5.1.1 <gone@x.test> User doesn't exist (in reply to end of DATA command)"), byIndex[2].Outcome);
        Assert.All(results, r => Assert.Equal($"{host}:{server.Port}", r.Relay));
        Assert.Equal("LHLO client.test", Assert.Single(server.Sessions).Commands.First());
    }

    [Fact]
    public async Task CachedSessionIsReusedUpToTheReuseCountLimit()
    {
        await using var server = new ScriptedSmtpServer();
        await using var harness = new SmtpAgentHarness(parameters:
            [("smtp_connection_reuse_count_limit", "2"), ("smtp_connection_cache_time_limit", "30s")]);
        var nexthop = $"[127.0.0.1]:{server.Port}";

        for (var i = 0; i < 4; i++)
            Assert.Equal(RecipientStatus.Delivered,
                Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request(nexthop, Body, [$"r{i}@x.test"]))).Outcome.Status);

        // One session carries the first use and two reuses; the fourth message needs a new one.
        var sessions = server.Sessions.ToArray();
        Assert.Equal(2, sessions.Length);
        Assert.Equal(3, sessions[0].Commands.Count(c => c.StartsWith("MAIL", StringComparison.Ordinal)));
        Assert.Equal(2, sessions[0].Commands.Count(c => c == "RSET"));
        await Eventually(() => sessions[0].Commands.Last() == "QUIT");
        Assert.Equal(1, harness.Agent.CachedSessions);
    }

    [Fact]
    public async Task IdleCachedSessionIsClosedAfterTheCacheTimeLimit()
    {
        await using var server = new ScriptedSmtpServer();
        await using var harness = new SmtpAgentHarness(parameters: [("smtp_connection_cache_time_limit", "1s")]);

        Assert.Equal(RecipientStatus.Delivered,
            Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Body, ["a@x.test"]))).Outcome.Status);
        Assert.Equal(1, harness.Agent.CachedSessions);

        await Eventually(() => harness.Agent.CachedSessions == 0 && Assert.Single(server.Sessions).Commands.LastOrDefault() == "QUIT");
    }

    [Fact]
    public async Task CacheOffClosesEachSessionWithQuit()
    {
        await using var server = new ScriptedSmtpServer();
        await using var harness = new SmtpAgentHarness(parameters: [("smtp_connection_cache_on_demand", "no")]);

        for (var i = 0; i < 2; i++)
            await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Body, ["a@x.test"]));

        Assert.Equal(2, server.Sessions.Count);
        await Eventually(() => server.Sessions.All(s => s.Commands.LastOrDefault() == "QUIT"));
        Assert.Equal(0, harness.Agent.CachedSessions);
    }

    // The client does not wait for the reply to QUIT (smtp_skip_quit_response): the server may read it a little later.
    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition() && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.True(condition());
    }
}

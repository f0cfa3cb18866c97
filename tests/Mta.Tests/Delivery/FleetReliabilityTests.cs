using MailKit;
using MailKit.Net.Smtp;
using Mta.Tests.Master;
using Mta.Tests.Redis;
using Xunit.Abstractions;

namespace Mta.Tests.Delivery;

/// <summary>
/// The fleet as plain processes sharing one real Redis: one smtpd process and three delivery processes (qmgr beside
/// the agents, as the operator's delivery tier runs them), relaying to smtp-sink. Mid-load one delivery process is
/// killed with SIGKILL (and restarted later, like a pod) and Redis itself is killed and restarted from its AOF.
/// Every message the smtpd answered 250 for must reach the sink; duplicates (at-least-once) are counted and reported.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FleetReliabilityTests(ITestOutputHelper output)
{
    private const int Messages = 150;

    [Fact]
    public async Task NoAcceptedMessageIsLostWhenADeliveryProcessAndRedisAreKilled()
    {
        await using var redis = await RedisServer.StartNewAsync();
        using var sink = new SmtpSink();
        var shared = $"""
            queue_backend = redis
            redis_url = {redis.Url}
            relayhost = [127.0.0.1]:{sink.Port}
            minimal_backoff_time = 1s
            maximal_backoff_time = 2s
            queue_run_delay = 1s
            """;
        using var smtpd = new MtaInstance(shared);
        var delivery = Enumerable.Range(0, 3).Select(_ => new MtaInstance(shared, MtaInstance.DeliveryAgents, smtpd: false)).ToList();
        try
        {
            smtpd.Start();
            foreach (var d in delivery)
                d.Start();

            var accepted = new List<string>();
            for (var i = 0; i < Messages; i++)
            {
                if (i == Messages / 3)
                {
                    delivery[0].KillMaster();
                    output.WriteLine($"killed delivery process 0 after {i} messages");
                }
                if (i == Messages / 2)
                {
                    redis.Kill();
                    await redis.StartAsync();
                    output.WriteLine($"restarted Redis after {i} messages");
                }
                if (i == 2 * Messages / 3)
                    delivery[0].Start(); // the pod comes back
                var id = $"<fleet-{i}@client.example>";
                if (await SendWithRetriesAsync(smtpd.Port, id))
                    accepted.Add(id);
            }

            Assert.True(sink.WaitFor(got => accepted.All(got.Contains), TimeSpan.FromSeconds(90)),
                $"missing: {string.Join(' ', accepted.Except(sink.MessageIds()).Take(20))}\n{delivery[1].Maillog[^Math.Min(4000, delivery[1].Maillog.Length)..]}");
            var received = sink.MessageIds();
            var duplicates = received.Count - received.Distinct().Count();
            output.WriteLine($"accepted {accepted.Count}, delivered {received.Distinct().Count()} unique, {duplicates} duplicates");
            Assert.Equal(Messages, accepted.Count);
            Assert.True(await TestMail.WaitForAsync(() => MtaInstance.QueuedAsync(redis.Settings).Result.Count == 0, TimeSpan.FromSeconds(30)));
        }
        finally
        {
            foreach (var d in delivery)
                d.Dispose();
        }
    }

    /// <summary>Sends one message as a real client would: a 4xx (Redis away: 451 4.3.0) is retried after a pause.</summary>
    private static async Task<bool> SendWithRetriesAsync(int port, string messageId)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                await TestMail.SendAsync(port, TestMail.Create("sender@client.example", "rcpt@remote.example", messageId));
                return true;
            }
            catch (Exception e) when (e is SmtpCommandException { StatusCode: >= (SmtpStatusCode)400 and < (SmtpStatusCode)500 } or SmtpProtocolException or ServiceNotConnectedException or IOException)
            {
                await Task.Delay(200);
            }
        }
        return false;
    }
}

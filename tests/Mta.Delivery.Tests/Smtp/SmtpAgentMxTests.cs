using System.Net;
using System.Net.Sockets;
using Mta.Delivery.Smtp;
using Mta.Queue;

namespace Mta.Delivery.Tests.Smtp;

/// <summary>MX resolution against a real DNS server on 127.0.0.1 and fail-over between real SMTP servers.</summary>
public sealed class SmtpAgentMxTests
{
    private const string Body = "Subject: hi\r\n\r\nhello\r\n";

    [Fact]
    public async Task DeadMxAnd4xxMxAreSkippedForTheGoodOne()
    {
        await using var dns = new TestDnsServer();
        await using var busy = new ScriptedSmtpServer { Greeting = "421 4.3.2 busy.example.test Service not available" };
        await using var good = new ScriptedSmtpServer();
        var deadPort = ClosedPort();
        dns.Mx("example.test", 10, "dead.example.test").Mx("example.test", 20, "busy.example.test").Mx("example.test", 30, "good.example.test")
            .A("dead.example.test", "127.0.0.1").A("busy.example.test", "127.0.0.1").A("good.example.test", "127.0.0.1");
        var ports = new Dictionary<string, int> { ["dead.example.test"] = deadPort, ["busy.example.test"] = busy.Port, ["good.example.test"] = good.Port };
        await using var harness = new SmtpAgentHarness(dns: SmtpDns.CreateClient(dns.EndPoint), portForHost: h => ports.GetValueOrDefault(h));

        var request = SmtpAgentHarness.Request("example.test", Body, ["a@example.test", "b@example.test"]);
        var results = await harness.DeliverAsync(request);

        Assert.Equal(2, results.Count);
        Assert.All(results, r =>
        {
            Assert.Equal(RecipientStatus.Delivered, r.Outcome.Status);
            Assert.Equal("2.0.0", r.Outcome.Dsn);
            Assert.Equal("250 2.0.0 Ok: queued as ABC", r.Outcome.Reason);
            Assert.Equal($"good.example.test[127.0.0.1]:{good.Port}", r.Relay);
        });
        Assert.Contains(harness.Log.Lines, l => l == $"postfix/smtp: connect to dead.example.test[127.0.0.1]:{deadPort}: Connection refused");
        Assert.Contains(harness.Log.Lines, l => l == $"postfix/smtp: {request.Id}: host busy.example.test[127.0.0.1] refused to talk to me: 421 4.3.2 busy.example.test Service not available");
        Assert.Single(good.Sessions);
    }

    [Fact]
    public async Task OnlyMxDeadDefersWithTheConnectError()
    {
        await using var dns = new TestDnsServer();
        var deadPort = ClosedPort();
        dns.Mx("down.test", 10, "mx.down.test").A("mx.down.test", "127.0.0.1");
        await using var harness = new SmtpAgentHarness(dns: SmtpDns.CreateClient(dns.EndPoint), portForHost: _ => deadPort);

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request("down.test", Body, ["a@down.test"])));

        Assert.Equal(RecipientOutcome.Deferred("4.4.1", $"connect to mx.down.test[127.0.0.1]:{deadPort}: Connection refused"), result.Outcome);
        Assert.Equal("none", result.Relay);
    }

    [Fact]
    public async Task NullMxBounces()
    {
        await using var dns = new TestDnsServer();
        dns.NullMx("nomail.test");
        await using var harness = new SmtpAgentHarness(dns: SmtpDns.CreateClient(dns.EndPoint));

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request("nomail.test", Body, ["a@nomail.test"])));

        Assert.Equal(RecipientOutcome.Bounced("5.1.0", "Domain nomail.test does not accept mail (nullMX)"), result.Outcome);
    }

    [Theory]
    [InlineData("ipv4", "A")]
    [InlineData("all", "AAAA")] // Postfix reports the last address type it looked up
    public async Task NonexistentDomainBouncesWithPostfixText(string inetProtocols, string lastType)
    {
        await using var dns = new TestDnsServer();
        await using var harness = new SmtpAgentHarness(dns: SmtpDns.CreateClient(dns.EndPoint), parameters: ("inet_protocols", inetProtocols));

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request("nowhere.test", Body, ["a@nowhere.test"])));

        Assert.Equal(RecipientOutcome.Bounced("5.4.4",
            $"Host or domain name not found. Name service error for name=nowhere.test type={lastType}: Host not found"), result.Outcome);
        Assert.Equal("none", result.Relay);
    }

    [Fact]
    public async Task ServerFailureDefers()
    {
        await using var dns = new TestDnsServer();
        dns.ServFail("broken.test");
        await using var harness = new SmtpAgentHarness(dns: SmtpDns.CreateClient(dns.EndPoint));

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request("broken.test", Body, ["a@broken.test"])));

        Assert.Equal(RecipientOutcome.Deferred("4.4.3",
            "Host or domain name not found. Name service error for name=broken.test type=MX: Host not found, try again"), result.Outcome);
    }

    [Fact]
    public async Task UnreachableDnsServerDefers()
    {
        var nobody = new IPEndPoint(IPAddress.Loopback, ClosedUdpPort());
        await using var harness = new SmtpAgentHarness(dns: SmtpDns.CreateClient(nobody, TimeSpan.FromMilliseconds(300)));

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request("example.test", Body, ["a@example.test"])));

        Assert.Equal(RecipientOutcome.Deferred("4.4.3",
            "Host or domain name not found. Name service error for name=example.test type=MX: Host not found, try again"), result.Outcome);
    }

    [Fact]
    public async Task NoMxFallsBackToTheDomainsAddress()
    {
        await using var dns = new TestDnsServer();
        await using var server = new ScriptedSmtpServer();
        dns.A("plain.test", "127.0.0.1");
        await using var harness = new SmtpAgentHarness(dns: SmtpDns.CreateClient(dns.EndPoint), portForHost: _ => server.Port);

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request("plain.test", Body, ["a@plain.test"])));

        Assert.Equal(RecipientStatus.Delivered, result.Outcome.Status);
        Assert.Equal($"plain.test[127.0.0.1]:{server.Port}", result.Relay);
    }

    [Fact]
    public async Task BracketedNexthopSkipsDnsAndUsesItsPort()
    {
        await using var dns = new TestDnsServer();
        await using var server = new ScriptedSmtpServer();
        await using var harness = new SmtpAgentHarness(dns: SmtpDns.CreateClient(dns.EndPoint));

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Body, ["a@elsewhere.test"])));

        Assert.Equal(RecipientStatus.Delivered, result.Outcome.Status);
        Assert.Equal($"127.0.0.1[127.0.0.1]:{server.Port}", result.Relay);
        Assert.Equal(0, dns.Queries);
    }

    [Fact]
    public async Task EqualPreferenceMxHostsAreShuffled()
    {
        await using var dns = new TestDnsServer();
        await using var first = new ScriptedSmtpServer();
        await using var second = new ScriptedSmtpServer();
        dns.Mx("twins.test", 10, "one.twins.test").Mx("twins.test", 10, "two.twins.test")
            .A("one.twins.test", "127.0.0.1").A("two.twins.test", "127.0.0.1");
        var ports = new Dictionary<string, int> { ["one.twins.test"] = first.Port, ["two.twins.test"] = second.Port };
        await using var harness = new SmtpAgentHarness(dns: SmtpDns.CreateClient(dns.EndPoint), portForHost: h => ports.GetValueOrDefault(h),
            parameters: ("smtp_connection_cache_on_demand", "no"));

        for (var i = 0; i < 16; i++)
            Assert.Equal(RecipientStatus.Delivered,
                Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request("twins.test", Body, ["a@twins.test"]))).Outcome.Status);

        // 16 fair coin tosses all landing on one side: probability 2^-15.
        Assert.NotEmpty(first.Sessions);
        Assert.NotEmpty(second.Sessions);
    }

    [Fact]
    public async Task Greeting5xxIsSkippedByDefaultButBouncesWhenSkippingIsOff()
    {
        await using var dns = new TestDnsServer();
        await using var refusing = new ScriptedSmtpServer { Greeting = "554 5.7.1 go away" };
        await using var good = new ScriptedSmtpServer();
        dns.Mx("pair.test", 10, "bad.pair.test").Mx("pair.test", 20, "good.pair.test")
            .A("bad.pair.test", "127.0.0.1").A("good.pair.test", "127.0.0.1");
        var ports = new Dictionary<string, int> { ["bad.pair.test"] = refusing.Port, ["good.pair.test"] = good.Port };

        await using (var skipping = new SmtpAgentHarness(dns: SmtpDns.CreateClient(dns.EndPoint), portForHost: h => ports.GetValueOrDefault(h)))
        {
            var delivered = Assert.Single(await skipping.DeliverAsync(SmtpAgentHarness.Request("pair.test", Body, ["a@pair.test"])));
            Assert.Equal(RecipientStatus.Delivered, delivered.Outcome.Status);
        }
        await using var strict = new SmtpAgentHarness(dns: SmtpDns.CreateClient(dns.EndPoint), portForHost: h => ports.GetValueOrDefault(h),
            parameters: ("smtp_skip_5xx_greeting", "no"));
        var bounced = Assert.Single(await strict.DeliverAsync(SmtpAgentHarness.Request("pair.test", Body, ["a@pair.test"])));
        Assert.Equal(RecipientOutcome.Bounced("5.7.1", "host bad.pair.test[127.0.0.1] refused to talk to me: 554 5.7.1 go away"), bounced.Outcome);
        Assert.Equal($"bad.pair.test[127.0.0.1]:{refusing.Port}", bounced.Relay);
        Assert.Equal("dns; bad.pair.test", bounced.RemoteMta);
        Assert.Equal("smtp; 554 5.7.1 go away", bounced.DiagnosticCode);
    }

    [Fact]
    public async Task RecipientRefusedTemporarilyByAnEarlierMxIsOfferedToTheNext()
    {
        await using var dns = new TestDnsServer();
        await using var first = new ScriptedSmtpServer
        {
            RcptReply = a => a == "later@multi.test" ? "451 4.3.0 <later@multi.test>: Temporary lookup failure" : "250 2.1.5 Ok",
            DataEndReply = "250 2.0.0 Ok: queued as FIRST",
        };
        await using var second = new ScriptedSmtpServer { DataEndReply = "250 2.0.0 Ok: queued as SECOND" };
        dns.Mx("multi.test", 10, "mx1.multi.test").Mx("multi.test", 20, "mx2.multi.test")
            .A("mx1.multi.test", "127.0.0.1").A("mx2.multi.test", "127.0.0.1");
        var ports = new Dictionary<string, int> { ["mx1.multi.test"] = first.Port, ["mx2.multi.test"] = second.Port };
        await using var harness = new SmtpAgentHarness(dns: SmtpDns.CreateClient(dns.EndPoint), portForHost: h => ports.GetValueOrDefault(h));
        var request = SmtpAgentHarness.Request("multi.test", Body, ["now@multi.test", "later@multi.test"]);

        var results = (await harness.DeliverAsync(request)).ToDictionary(r => r.Index);

        Assert.Equal(RecipientOutcome.Delivered("2.0.0", "250 2.0.0 Ok: queued as FIRST"), results[0].Outcome);
        Assert.Equal(RecipientOutcome.Delivered("2.0.0", "250 2.0.0 Ok: queued as SECOND"), results[1].Outcome);
        Assert.Equal($"mx2.multi.test[127.0.0.1]:{second.Port}", results[1].Relay);
        Assert.Contains(harness.Log.Lines, l => l ==
            $"postfix/smtp: {request.Id}: host mx1.multi.test[127.0.0.1] said: 451 4.3.0 <later@multi.test>: Temporary lookup failure (in reply to RCPT TO command)");
        Assert.Equal(["RCPT TO:<later@multi.test> ORCPT=rfc822;later@multi.test"],
            Assert.Single(second.Sessions).Commands.Where(c => c.StartsWith("RCPT", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SessionLimitStopsAfterTwoServersThatAnswered()
    {
        await using var dns = new TestDnsServer();
        await using var busy1 = new ScriptedSmtpServer { Greeting = "421 4.7.0 one busy" };
        await using var busy2 = new ScriptedSmtpServer { Greeting = "421 4.7.0 two busy" };
        await using var third = new ScriptedSmtpServer();
        dns.Mx("limit.test", 10, "a.limit.test").Mx("limit.test", 20, "b.limit.test").Mx("limit.test", 30, "c.limit.test")
            .A("a.limit.test", "127.0.0.1").A("b.limit.test", "127.0.0.1").A("c.limit.test", "127.0.0.1");
        var ports = new Dictionary<string, int> { ["a.limit.test"] = busy1.Port, ["b.limit.test"] = busy2.Port, ["c.limit.test"] = third.Port };
        await using var harness = new SmtpAgentHarness(dns: SmtpDns.CreateClient(dns.EndPoint), portForHost: h => ports.GetValueOrDefault(h));

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request("limit.test", Body, ["a@limit.test"])));

        // smtp_mx_session_limit = 2: the second server to answer is the final one.
        Assert.Equal(RecipientOutcome.Deferred("4.7.0", "host b.limit.test[127.0.0.1] refused to talk to me: 421 4.7.0 two busy"), result.Outcome);
        Assert.Equal($"b.limit.test[127.0.0.1]:{busy2.Port}", result.Relay);
        Assert.Empty(third.Sessions);
    }

    private static int ClosedUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>A port nothing listens on: bound once, then released.</summary>
    internal static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

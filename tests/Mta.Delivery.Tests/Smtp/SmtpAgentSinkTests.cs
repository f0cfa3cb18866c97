using System.Text;
using Mta.Queue;

namespace Mta.Delivery.Tests.Smtp;

/// <summary>Delivery to Postfix's own smtp-sink (SMTP and LMTP), and the exact bytes on the wire.</summary>
public sealed class SmtpAgentSinkTests
{
    // Lines that need dot-stuffing: one starting with ".", one that is only "." (it would end DATA early).
    private const string DottedBody = "Subject: dots\r\nX-Test: 1\r\n\r\n.leading dot\r\n.\r\n..two\r\nplain\r\n";

    [Theory]
    [InlineData("smtp")]
    [InlineData("lmtp")]
    public async Task SinkReceivesTheStoredBytesUnchanged(string program)
    {
        using var sink = new SmtpSinkProcess(lmtp: program == "lmtp");
        await using var harness = new SmtpAgentHarness(program);
        var nexthop = program == "lmtp" ? $"inet:127.0.0.1:{sink.Port}" : $"[127.0.0.1]:{sink.Port}";

        var results = await harness.DeliverAsync(SmtpAgentHarness.Request(nexthop, DottedBody, ["one@sink.test", "two@sink.test"], transport: program));

        Assert.Equal(2, results.Count);
        Assert.All(results, r =>
        {
            // smtp-sink's end-of-data reply: one for SMTP, one per recipient (with another text) for LMTP.
            Assert.Equal(program == "lmtp" ? RecipientOutcome.Delivered("2.2.0", "250 2.2.0 Ok") : RecipientOutcome.Delivered("2.0.0", "250 2.0.0 Ok"), r.Outcome);
            Assert.Equal($"127.0.0.1[127.0.0.1]:{sink.Port}", r.Relay);
        });
        var dump = Assert.Single(await sink.DumpsAsync(1));
        Assert.Contains("X-Mail-Args: <sender@client.test>\n", dump);
        // smtp-sink offers DSN, so the original recipient goes along (as Postfix sends it).
        Assert.Contains("X-Rcpt-Args: <one@sink.test> ORCPT=rfc822;one@sink.test\nX-Rcpt-Args: <two@sink.test> ORCPT=rfc822;two@sink.test\n", dump);
        // After smtp-sink's own Received: header (three lines) comes the message, dot-stuffing undone, LF line ends.
        var content = dump[(dump.IndexOf("\nSubject: dots", StringComparison.Ordinal) + 1)..];
        Assert.Equal(DottedBody.Replace("\r\n", "\n") + "\n", content);
    }

    [Fact]
    public async Task MxLookupLeadsPastADeadMxToTheSink()
    {
        using var sink = new SmtpSinkProcess();
        await using var dns = new TestDnsServer();
        var deadPort = SmtpAgentMxTests.ClosedPort();
        dns.Mx("relay.test", 5, "dead.relay.test").Mx("relay.test", 10, "sink.relay.test")
            .A("dead.relay.test", "127.0.0.1").A("sink.relay.test", "127.0.0.1");
        var ports = new Dictionary<string, int> { ["dead.relay.test"] = deadPort, ["sink.relay.test"] = sink.Port };
        await using var harness = new SmtpAgentHarness(dns: Mta.Delivery.Smtp.SmtpDns.CreateClient(dns.EndPoint), portForHost: h => ports.GetValueOrDefault(h));

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request("relay.test", DottedBody, ["user@relay.test"])));

        Assert.Equal(RecipientOutcome.Delivered("2.0.0", "250 2.0.0 Ok"), result.Outcome);
        Assert.Equal($"sink.relay.test[127.0.0.1]:{sink.Port}", result.Relay);
        Assert.Contains("X-Rcpt-Args: <user@relay.test>", Assert.Single(await sink.DumpsAsync(1)));
    }

    [Fact]
    public async Task LmtpOverUnixSocketToSink()
    {
        using var sink = new SmtpSinkProcess(lmtp: true, unixSocket: true);
        await using var harness = new SmtpAgentHarness("lmtp");

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request($"unix:{sink.SocketPath}", DottedBody, ["box@sink.test"], transport: "lmtp")));

        Assert.Equal(RecipientOutcome.Delivered("2.2.0", "250 2.2.0 Ok"), result.Outcome);
        Assert.Equal($"client.test[{sink.SocketPath}]", result.Relay);
        Assert.Contains("X-Client-Proto: LMTP\n", Assert.Single(await sink.DumpsAsync(1)));
    }

    [Fact]
    public async Task SinkGetsSeveralMessagesOverOneCachedSession()
    {
        using var sink = new SmtpSinkProcess();
        await using var harness = new SmtpAgentHarness(parameters: [("smtp_connection_cache_time_limit", "30s")]);

        for (var i = 0; i < 3; i++)
            Assert.Equal(RecipientStatus.Delivered, Assert.Single(await harness.DeliverAsync(
                SmtpAgentHarness.Request($"[127.0.0.1]:{sink.Port}", $"Subject: {i}\r\n\r\nbody {i}\r\n", [$"r{i}@sink.test"]))).Outcome.Status);

        Assert.Equal(3, (await sink.DumpsAsync(3)).Length);
        Assert.Equal(1, harness.Agent.CachedSessions);
    }

    [Theory]
    [InlineData("line\r\n.dot\r\n", "line\r\n..dot\r\n")]
    [InlineData(".\r\n", "..\r\n")]
    [InlineData("no final newline", "no final newline\r\n")]
    [InlineData("a\r\n.", "a\r\n..\r\n")]
    [InlineData("x\r\n\r\n...\r\n", "x\r\n\r\n....\r\n")]
    public async Task OnlyDotStuffingAndTheFinalCrlfChangeTheWireBytes(string stored, string onTheWire)
    {
        await using var server = new ScriptedSmtpServer();
        await using var harness = new SmtpAgentHarness();

        Assert.Equal(RecipientStatus.Delivered,
            Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", stored, ["a@x.test"]))).Outcome.Status);

        Assert.Equal(onTheWire, Encoding.UTF8.GetString(Assert.Single(Assert.Single(server.Sessions).Messages)));
    }

    [Fact]
    public async Task LargeBodyStreamsAcrossBufferBoundaries()
    {
        await using var server = new ScriptedSmtpServer();
        await using var harness = new SmtpAgentHarness();
        var stored = new StringBuilder("Subject: big\r\n\r\n");
        for (var i = 0; i < 20000; i++)
            stored.Append(i % 7 == 0 ? ".dotted line " : "line ").Append(i).Append("\r\n");
        var expected = stored.ToString().Replace("\r\n.", "\r\n..");

        Assert.Equal(RecipientStatus.Delivered,
            Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", stored.ToString(), ["a@x.test"]))).Outcome.Status);

        Assert.Equal(expected, Encoding.UTF8.GetString(Assert.Single(Assert.Single(server.Sessions).Messages)));
    }
}

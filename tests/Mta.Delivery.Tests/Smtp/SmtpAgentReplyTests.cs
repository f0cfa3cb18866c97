using System.Net;
using System.Net.Sockets;
using System.Text;
using Mta.Queue;

namespace Mta.Delivery.Tests.Smtp;

/// <summary>What server replies do to each recipient, and what the client sends, against scripted servers.</summary>
public sealed class SmtpAgentReplyTests
{
    private const string Body = "Subject: hi\r\n\r\nhello\r\n";

    [Fact]
    public async Task RcptRepliesDecideEachRecipient()
    {
        await using var server = new ScriptedSmtpServer
        {
            RcptReply = a => a switch
            {
                "gone@x.test" => "550 5.1.1 <gone@x.test>: Recipient address rejected: User unknown",
                "full@x.test" => "452 4.2.2 <full@x.test>: Mailbox full",
                _ => "250 2.1.5 Ok",
            },
        };
        await using var harness = new SmtpAgentHarness();
        var host = $"127.0.0.1[127.0.0.1]";

        var results = await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Body, ["ok@x.test", "gone@x.test", "full@x.test"]));

        var byIndex = results.ToDictionary(r => r.Index);
        Assert.Equal(RecipientOutcome.Delivered("2.0.0", "250 2.0.0 Ok: queued as ABC"), byIndex[0].Outcome);
        Assert.Equal(RecipientOutcome.Bounced("5.1.1",
            $"host {host} said: 550 5.1.1 <gone@x.test>: Recipient address rejected: User unknown (in reply to RCPT TO command)"), byIndex[1].Outcome);
        Assert.Equal("smtp; 550 5.1.1 <gone@x.test>: Recipient address rejected: User unknown", byIndex[1].DiagnosticCode);
        Assert.Equal("dns; 127.0.0.1", byIndex[1].RemoteMta);
        Assert.Equal(RecipientOutcome.Deferred("4.2.2",
            $"host {host} said: 452 4.2.2 <full@x.test>: Mailbox full (in reply to RCPT TO command)"), byIndex[2].Outcome);
        Assert.All(results, r => Assert.Equal($"{host}:{server.Port}", r.Relay));
        var message = Assert.Single(Assert.Single(server.Sessions).Messages);
        Assert.Equal(Body, Encoding.UTF8.GetString(message));
    }

    [Fact]
    public async Task MultiLineReplyIsJoinedAsPostfixLogsIt()
    {
        await using var server = new ScriptedSmtpServer { RcptReply = _ => "550-5.1.1 The account does not exist.\r\n550 5.1.1 Try again later." };
        await using var harness = new SmtpAgentHarness();

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Body, ["a@x.test"])));

        Assert.Equal(RecipientOutcome.Bounced("5.1.1",
            "host 127.0.0.1[127.0.0.1] said: 550-5.1.1 The account does not exist. 550 5.1.1 Try again later. (in reply to RCPT TO command)"), result.Outcome);
    }

    [Theory]
    [InlineData("553 5.7.1 <sender@client.test>: Sender address rejected", RecipientStatus.Bounced, "5.7.1", "MAIL FROM command")]
    [InlineData("451 4.3.0 Try later", RecipientStatus.Deferred, "4.3.0", "MAIL FROM command")]
    [InlineData("550 Rejected", RecipientStatus.Bounced, "5.0.0", "MAIL FROM command")]
    public async Task MailFromReplyDecidesAllRecipients(string reply, RecipientStatus status, string dsn, string command)
    {
        await using var server = new ScriptedSmtpServer { MailReply = reply };
        await using var harness = new SmtpAgentHarness();

        var results = await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Body, ["a@x.test", "b@x.test"]));

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(new RecipientOutcome(status, dsn, $"host 127.0.0.1[127.0.0.1] said: {reply} (in reply to {command})"), r.Outcome));
    }

    [Theory]
    [InlineData("451 4.3.0 Error: queue file write error", RecipientStatus.Deferred, "4.3.0")]
    [InlineData("554 5.7.1 Message rejected: spam", RecipientStatus.Bounced, "5.7.1")]
    public async Task EndOfDataReplyDecidesAcceptedRecipients(string reply, RecipientStatus status, string dsn)
    {
        await using var server = new ScriptedSmtpServer { DataEndReply = reply };
        await using var harness = new SmtpAgentHarness();

        var results = await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Body, ["a@x.test", "b@x.test"]));

        Assert.All(results, r => Assert.Equal(new RecipientOutcome(status, dsn,
            $"host 127.0.0.1[127.0.0.1] said: {reply} (in reply to end of DATA command)"), r.Outcome));
    }

    [Fact]
    public async Task PipeliningSendsMailRcptAndDataInOneGo()
    {
        // This server answers MAIL and RCPT only after DATA has arrived: a client that waits for each reply times out.
        await using var server = new ScriptedSmtpServer { HoldRepliesUntilData = true };
        await using var harness = new SmtpAgentHarness(parameters: [("smtp_mail_timeout", "5s")]);

        var results = await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Body, ["a@x.test", "b@x.test"]));

        Assert.All(results, r => Assert.Equal(RecipientStatus.Delivered, r.Outcome.Status));
    }

    [Fact]
    public async Task WithoutPipeliningEachCommandWaitsForItsReply()
    {
        await using var server = new ScriptedSmtpServer { Extensions = ["SIZE 1000000"] };
        await using var harness = new SmtpAgentHarness();

        var results = await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Body, ["a@x.test", "b@x.test"]));

        Assert.All(results, r => Assert.Equal(RecipientStatus.Delivered, r.Outcome.Status));
        Assert.Equal(["EHLO client.test", $"MAIL FROM:<sender@client.test> SIZE={Body.Length}", "RCPT TO:<a@x.test>", "RCPT TO:<b@x.test>", "DATA"],
            Assert.Single(server.Sessions).Commands.Take(5));
    }

    [Fact]
    public async Task MessageOverTheServersSizeLimitBouncesBeforeMail()
    {
        await using var server = new ScriptedSmtpServer { Extensions = ["PIPELINING", "SIZE 100"] };
        await using var harness = new SmtpAgentHarness();
        var body = "Subject: big\r\n\r\n" + new string('x', 500) + "\r\n";

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", body, ["a@x.test"])));

        Assert.Equal(RecipientOutcome.Bounced("5.3.4", $"message size {body.Length} exceeds size limit 100 of server 127.0.0.1[127.0.0.1]"), result.Outcome);
        Assert.DoesNotContain(Assert.Single(server.Sessions).Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnvelopeParametersArePassedOnWhenOffered()
    {
        await using var server = new ScriptedSmtpServer();
        await using var harness = new SmtpAgentHarness(parameters: [("smtp_connection_cache_on_demand", "no")]);
        var recipient = new Recipient("a@x.test", OriginalAddress: "alias@x.test", Notify: DsnNotify.Success | DsnNotify.Failure);
        var request = SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Encoding.UTF8.GetBytes(Body), [recipient],
            envelope: e => e with { Body8Bit = true, Ret = DsnRet.Hdrs, EnvId = "id+1=x", Smtputf8 = true });

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(await harness.DeliverAsync(request)).Outcome.Status);

        var commands = Assert.Single(server.Sessions).Commands.ToList();
        Assert.Contains($"MAIL FROM:<sender@client.test> SIZE={Body.Length} BODY=8BITMIME ENVID=id+2B1+3Dx RET=HDRS SMTPUTF8", commands);
        Assert.Contains("RCPT TO:<a@x.test> ORCPT=rfc822;alias@x.test NOTIFY=SUCCESS,FAILURE", commands);
        Assert.Equal("QUIT", commands[^1]);
    }

    [Fact]
    public async Task EnvelopeParametersAreLeftOutWhenNotOffered()
    {
        await using var server = new ScriptedSmtpServer { Extensions = ["PIPELINING"] };
        await using var harness = new SmtpAgentHarness();
        var recipient = new Recipient("a@x.test", Notify: DsnNotify.Never);
        var request = SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Encoding.UTF8.GetBytes(Body), [recipient],
            envelope: e => e with { Body8Bit = true, Ret = DsnRet.Full });

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(await harness.DeliverAsync(request)).Outcome.Status);

        var commands = Assert.Single(server.Sessions).Commands.ToList();
        Assert.Contains("MAIL FROM:<sender@client.test>", commands);
        Assert.Contains("RCPT TO:<a@x.test>", commands);
    }

    [Fact]
    public async Task Utf8AddressWithoutSmtputf8SupportBounces()
    {
        await using var server = new ScriptedSmtpServer { Extensions = ["PIPELINING", "8BITMIME"] };
        await using var harness = new SmtpAgentHarness();
        var request = SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Encoding.UTF8.GetBytes(Body), [new Recipient("üser@x.test")],
            envelope: e => e with { Smtputf8 = true });

        var result = Assert.Single(await harness.DeliverAsync(request));

        Assert.Equal(RecipientOutcome.Bounced("5.6.7",
            "message requires SMTPUTF8, but no server was found that supports SMTPUTF8. The last attempted server was 127.0.0.1[127.0.0.1]"), result.Outcome);
    }

    [Fact]
    public async Task SilentServerTimesOutWithPostfixText()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var harness = new SmtpAgentHarness(parameters: [("smtp_helo_timeout", "1s")]);

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{port}", Body, ["a@x.test"])));

        Assert.Equal(RecipientOutcome.Deferred("4.4.2", "conversation with 127.0.0.1[127.0.0.1] timed out while receiving the initial server greeting"), result.Outcome);
        Assert.Equal($"127.0.0.1[127.0.0.1]:{port}", result.Relay);
    }
}

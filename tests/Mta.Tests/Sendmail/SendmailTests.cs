using Mta.Tests.Master;

namespace Mta.Tests.Sendmail;

/// <summary>sendmail(1) through the same durable enqueue as smtpd; works with no master running (postdrop semantics).</summary>
public sealed class SendmailTests
{
    [Fact]
    public async Task QueuesForCommandLineRecipientsWithoutARunningMaster()
    {
        using var mta = new MtaInstance();
        var (status, error) = Sendmail(mta, "Subject: cron\n\nline one\n.\nnot read\n", "-f", "cron@host.example", "admin@remote.example", "root");

        Assert.Equal(0, status);
        Assert.Equal("", error);
        var queued = Assert.Single(await mta.QueuedAsync());
        Assert.Equal("cron@host.example", queued.Envelope.Sender);
        Assert.Equal(["admin@remote.example", "root@mx.test.example"], queued.Envelope.Recipients.Select(r => r.Address));
        var body = await mta.BodyAsync(queued.Id);
        Assert.StartsWith($"Received: by mx.test.example (Postfix, from userid ", body);
        Assert.Contains($"\r\n\tid {queued.Id}; ", body);
        Assert.Contains("\r\nSubject: cron\r\n", body);
        Assert.Contains($"\r\nMessage-Id: <", body);
        Assert.Contains("\r\nFrom: cron@host.example\r\n", body);
        Assert.EndsWith("\r\n\r\nline one\r\n", body);
        Assert.Contains($"postfix/pickup[", mta.Maillog);
        Assert.Contains($"{queued.Id}: uid=", mta.Maillog);
    }

    [Fact]
    public async Task DashIKeepsDotLinesAndDashTTakesRecipientsFromHeadersAndDropsBcc()
    {
        using var mta = new MtaInstance();
        var message = "From: Ann <ann@client.example>\nTo: Bob <bob@remote.example>, carol@remote.example\nBcc: secret@remote.example\nSubject: t\n\n.\nend\n";
        var (status, _) = Sendmail(mta, message, "-t", "-i", "-f", "ann@client.example");

        Assert.Equal(0, status);
        var queued = Assert.Single(await mta.QueuedAsync());
        Assert.Equal(["bob@remote.example", "carol@remote.example", "secret@remote.example"], queued.Envelope.Recipients.Select(r => r.Address));
        var body = await mta.BodyAsync(queued.Id);
        Assert.DoesNotContain("Bcc:", body);
        Assert.Contains("\r\nFrom: Ann <ann@client.example>\r\n", body);
        Assert.EndsWith("\r\n\r\n.\r\nend\r\n", body);
    }

    [Theory]
    [InlineData(new[] { "-f", "a@b.example" }, "sendmail: fatal: Recipient addresses must be specified on the command line or via the -t option\n")]
    [InlineData(new[] { "-t" }, "sendmail: fatal: No recipient addresses found in message header\n")]
    public async Task MissingRecipientsIsAUsageErrorAndQueuesNothing(string[] args, string expected)
    {
        using var mta = new MtaInstance();
        var (status, error) = Sendmail(mta, "Subject: none\n\nbody\n", args);
        Assert.Equal(64, status);
        Assert.Equal(expected, error);
        Assert.Empty(await mta.QueuedAsync());
    }

    private static (int Status, string Error) Sendmail(MtaInstance mta, string stdin, params string[] args) =>
        mta.Sendmail(stdin, TimeSpan.FromSeconds(30), args);
}

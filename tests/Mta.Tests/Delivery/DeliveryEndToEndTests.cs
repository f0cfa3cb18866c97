using System.Diagnostics;
using MimeKit;
using Mta.Queue;
using Mta.Tests.Master;

namespace Mta.Tests.Delivery;

/// <summary>
/// The whole single-host path over real sockets: a real `mta postfix start-fg` accepts mail with its smtpd, its
/// queue manager schedules it and its agents deliver — to Postfix's smtp-sink, to a real Postfix, into Maildirs.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DeliveryEndToEndTests
{
    private static readonly TimeSpan DeliveryLimit = TimeSpan.FromSeconds(30);

    /// <summary>Short retry times so a deferral is retried within the test.</summary>
    private const string QuickRetries = """
        minimal_backoff_time = 1s
        maximal_backoff_time = 2s
        queue_run_delay = 1s
        """;

    [Fact]
    public async Task RelayedMailReachesSmtpSinkAndPflogsummCountsIt()
    {
        using var sink = new SmtpSink();
        using var mta = new MtaInstance($"relayhost = [127.0.0.1]:{sink.Port}", MtaInstance.DeliveryAgents);
        mta.Start();
        var ids = Enumerable.Range(0, 5).Select(i => $"<relay-{i}@client.example>").ToList();
        foreach (var id in ids)
            await TestMail.SendAsync(mta.Port, TestMail.Create("sender@client.example", "rcpt@remote.example", id));

        Assert.True(sink.WaitFor(got => got.Count >= ids.Count, DeliveryLimit), mta.Maillog);
        Assert.Equal(ids.Order(), sink.MessageIds().Order());
        Assert.All(sink.Messages(), m => Assert.Contains("\n.leading dot line", m.ReplaceLineEndings("\n")));
        Assert.True(await TestMail.WaitForAsync(() => mta.Maillog.Split('\n').Count(l => l.EndsWith(": removed")) == ids.Count, DeliveryLimit), mta.Maillog);
        Assert.Empty(await mta.QueuedAsync());

        var log = mta.Maillog;
        Assert.Matches(@"postfix/qmgr\[\d+\]: [0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]+: from=<sender@client\.example>, size=\d+, nrcpt=1 \(queue active\)", log);
        Assert.Matches($@"postfix/smtp\[\d+\]: \w+: to=<rcpt@remote\.example>, relay=127\.0\.0\.1\[127\.0\.0\.1\]:{sink.Port}, delay=[\d.]+, delays=[\d.]+/[\d.]+/[\d.]+/[\d.]+, dsn=2\.0\.0, status=sent \(250 ", log);

        var summary = Pflogsumm(mta.MaillogPath);
        Assert.Matches(@"\n\s*5\s+received\b", summary);
        Assert.Matches(@"\n\s*5\s+delivered\b", summary);
        Assert.Matches(@"\n\s*0\s+bounced\b", summary);
    }

    [Fact]
    public async Task RelayToARealPostfixDeliversIntoItsMaildir()
    {
        using var peer = new PostfixPeer();
        using var mta = new MtaInstance($"transport_maps = inline:{{ {PostfixPeer.Domain}=smtp:[127.0.0.1]:{peer.Port} }}", MtaInstance.DeliveryAgents);
        mta.Start();
        await TestMail.SendAsync(mta.Port, TestMail.Create("sender@client.example", $"someone@{PostfixPeer.Domain}", "<to-postfix@client.example>"));

        Assert.True(await TestMail.WaitForAsync(() => peer.Delivered().Count == 1, DeliveryLimit), mta.Maillog + peer.Maillog);
        var delivered = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(peer.Delivered()[0])));
        Assert.Equal("to-postfix@client.example", delivered.MessageId);
        Assert.Contains(delivered.Headers, h => h.Field == "Received" && h.Value.Contains("mx.test.example"));
        // The peer may hold the mail before our queue manager has logged its 250.
        Assert.True(await TestMail.WaitForAsync(() => mta.Maillog.Contains("status=sent (250 2.0.0 Ok: queued as "), DeliveryLimit), mta.Maillog);
    }

    [Fact]
    public async Task VirtualMailboxRecipientsLandInTheirMaildir()
    {
        using var mta = new MtaInstance("""
            virtual_mailbox_domains = v.example
            virtual_mailbox_base = VMAIL
            virtual_mailbox_maps = inline:{ alice@v.example=alice/ }
            """.Replace("VMAIL", "$queue_directory/../vmail"), MtaInstance.DeliveryAgents);
        mta.Start();
        await TestMail.SendAsync(mta.Port, TestMail.Create("sender@client.example", "alice@v.example", "<virtual@client.example>"));

        var newDirectory = Path.Combine(mta.Root, "vmail", "alice", "new");
        Assert.True(await TestMail.WaitForAsync(() => Directory.Exists(newDirectory) && Directory.GetFiles(newDirectory).Length == 1, DeliveryLimit), mta.Maillog);
        var text = File.ReadAllText(Directory.GetFiles(newDirectory)[0]);
        Assert.Contains("<virtual@client.example>", text);
        Assert.Contains(SmtpSink.EndMarker, text);
        // The agent writes the mailbox before the queue manager logs its result: wait for the line, then check its shape.
        Assert.True(await TestMail.WaitForAsync(() => mta.Maillog.Contains("status=sent"), DeliveryLimit), mta.Maillog);
        Assert.Matches(@"postfix/virtual\[\d+\]: \w+: to=<alice@v\.example>, relay=virtual, .*status=sent \(delivered to maildir\)", mta.Maillog);
    }

    [Fact]
    public async Task AnUnreachableDestinationIsDeferredThenDeliveredWhenItReturns()
    {
        using var sink = new SmtpSink(start: false);
        using var mta = new MtaInstance($"relayhost = [127.0.0.1]:{sink.Port}\n{QuickRetries}", MtaInstance.DeliveryAgents);
        mta.Start();
        await TestMail.SendAsync(mta.Port, TestMail.Create("sender@client.example", "rcpt@remote.example", "<comes-back@client.example>"));

        Assert.True(await TestMail.WaitForAsync(() => mta.Maillog.Contains("status=deferred"), DeliveryLimit), mta.Maillog);
        Assert.True(await TestMail.WaitForAsync(() => mta.QueuedAsync().Result is [{ Queue: QueueName.Deferred }], DeliveryLimit), mta.Maillog);
        var queued = Assert.Single(await mta.QueuedAsync());
        Assert.Contains(queued.Recipients, r => r.Status == RecipientStatus.Deferred);

        sink.Start();
        Assert.True(sink.WaitFor(got => got.Count == 1, DeliveryLimit), mta.Maillog);
        Assert.True(await TestMail.WaitForAsync(() => mta.Maillog.Contains(": removed"), DeliveryLimit), mta.Maillog);
    }

    [Fact]
    public async Task EtrnFlushesDeferredMailForItsSite()
    {
        using var sink = new SmtpSink(start: false);
        // Retries an hour apart: only ETRN can bring the mail back within the test.
        using var mta = new MtaInstance($"relayhost = [127.0.0.1]:{sink.Port}\nrelay_domains = remote.example\nminimal_backoff_time = 1h\nmaximal_backoff_time = 2h",
            MtaInstance.DeliveryAgents);
        mta.Start();
        await TestMail.SendAsync(mta.Port, TestMail.Create("sender@client.example", "rcpt@remote.example", "<etrn@client.example>"));
        // In deferred/, not just logged as deferred: ETRN flushes the deferred queue, as Postfix's flush(8) does.
        Assert.True(await TestMail.WaitForAsync(() => mta.QueuedAsync().Result is [{ Queue: QueueName.Deferred }], DeliveryLimit), mta.Maillog);

        sink.Start();
        await using (var dialog = await SmtpDialog.OpenAsync(mta.Port))
        {
            Assert.Equal("459 <other.example>: service unavailable", await dialog.CommandAsync("ETRN other.example"));
            Assert.Equal("250 Queuing started", await dialog.CommandAsync("ETRN remote.example"));
            Assert.Equal("221 2.0.0 Bye", await dialog.CommandAsync("QUIT"));
        }
        Assert.True(sink.WaitFor(got => got.Contains("<etrn@client.example>"), DeliveryLimit), mta.Maillog);
        // The accepted ETRN counts as a success, the refused one as an error.
        Assert.True(await TestMail.WaitForAsync(() => mta.Maillog.Contains(" ehlo=1 etrn=1/2 quit=1 commands=3/4"), DeliveryLimit), mta.Maillog);
    }

    [Fact]
    public async Task MailThatExpiresIsReturnedWithAnRfc3464Report()
    {
        var deadPort = LocalPorts.Free();
        using var mta = new MtaInstance($"relayhost = [127.0.0.1]:{deadPort}\n{QuickRetries}\n" + """
            maximal_queue_lifetime = 2s
            virtual_mailbox_domains = v.example
            virtual_mailbox_base = $queue_directory/../vmail
            virtual_mailbox_maps = inline:{ sender@v.example=sender/ }
            """, MtaInstance.DeliveryAgents);
        mta.Start();
        await TestMail.SendAsync(mta.Port, TestMail.Create("sender@v.example", "rcpt@remote.example", "<expires@client.example>"));

        var inbox = Path.Combine(mta.Root, "vmail", "sender", "new");
        Assert.True(await TestMail.WaitForAsync(() => Directory.Exists(inbox) && Directory.GetFiles(inbox).Length == 1, DeliveryLimit), mta.Maillog);
        var bounce = MimeMessage.Load(Directory.GetFiles(inbox)[0]);
        Assert.Equal("Undelivered Mail Returned to Sender", bounce.Subject);
        var report = Assert.IsType<MultipartReport>(bounce.Body);
        Assert.Equal("delivery-status", report.ReportType);
        var status = report.OfType<MessageDeliveryStatus>().Single();
        var recipient = status.StatusGroups[1];
        Assert.Equal("rfc822; rcpt@remote.example", recipient["Final-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.StartsWith("4.", recipient["Status"]);
        Assert.Matches(@"\w+: from=<sender@v\.example>, status=expired, returned to sender", mta.Maillog);
        Assert.True(await TestMail.WaitForAsync(() => mta.QueuedAsync().Result.Count == 0, DeliveryLimit), mta.Maillog);
    }

    private static string Pflogsumm(string maillog)
    {
        var start = new ProcessStartInfo("pflogsumm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(maillog);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}

using System.Text;
using System.Text.RegularExpressions;
using Mta.Delivery.Notices;
using Mta.Queue;
using MimeKit;
using MimeKit.Utils;

namespace Mta.Delivery.Tests.Notices;

/// <summary>Non-delivery notices to the sender: Postfix's envelope, headers, three MIME parts and log line.</summary>
public sealed class NonDeliveryNoticeTests : IAsyncLifetime
{
    private readonly NoticeTestBed _bed = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task BounceGoesFromTheNullSenderToTheOriginalSender()
    {
        var original = await _bed.EnqueueAsync("alice@example.org", "bob@remote.example");

        var id = await _bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default);

        Assert.NotNull(id);
        var (queued, _, _) = await _bed.ReadAsync(id.Value);
        Assert.Equal("", queued.Envelope.Sender);
        Assert.Equal(["alice@example.org"], queued.Envelope.Recipients.Select(r => r.Address));
        Assert.Equal(QueueName.Incoming, queued.Queue);
    }

    [Fact]
    public async Task BounceHeadersAreThoseOfPostfix()
    {
        var original = await _bed.EnqueueAsync("alice@example.org", "bob@remote.example");
        var id = (await _bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default))!.Value;

        var (_, raw, mime) = await _bed.ReadAsync(id);

        var text = Encoding.UTF8.GetString(raw);
        var headerSection = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        var names = Regex.Matches(headerSection, @"^([A-Za-z-]+):", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
        Assert.Equal(["Received", "Date", "From", "Subject", "To", "Auto-Submitted", "MIME-Version", "Content-Type",
            "Content-Transfer-Encoding", "Message-Id"], names);
        Assert.StartsWith($"Received: by {NoticeTestBed.Host} (Postfix)\r\n\tid {id.Value}; ", headerSection);
        Assert.Equal($"Mail Delivery System <MAILER-DAEMON@{NoticeTestBed.Host}>", mime.Headers[HeaderId.From]);
        Assert.Equal("Undelivered Mail Returned to Sender", mime.Subject);
        Assert.Equal("alice@example.org", mime.Headers[HeaderId.To]);
        Assert.Equal("auto-replied", mime.Headers["Auto-Submitted"]);
        Assert.Contains($"Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"{original.Id.Value}.", headerSection);
        Assert.Contains($"/{NoticeTestBed.Host}\"", headerSection);
        Assert.Matches($@"^<\d{{14}}\.{id.Value}@{Regex.Escape(NoticeTestBed.Host)}>$", mime.Headers[HeaderId.MessageId]);
        Assert.Contains("\r\n\r\nThis is a MIME-encapsulated message.\r\n", text);
        // smtputf8_enable is yes at this compatibility level: Postfix declares notices 8bit.
        Assert.Contains("\r\nContent-Transfer-Encoding: 8bit\r\nMessage-Id: ", headerSection);
    }

    [Fact]
    public async Task BounceIsAMultipartReportWithNotificationDeliveryReportAndTheMessage()
    {
        var original = await _bed.EnqueueAsync("alice@example.org", "bob@remote.example");
        var id = (await _bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default))!.Value;

        var (_, _, mime) = await _bed.ReadAsync(id);

        var report = Assert.IsType<MultipartReport>(mime.Body);
        Assert.Equal("delivery-status", report.ReportType);
        Assert.Equal(3, report.Count);
        var notification = Assert.IsType<TextPart>(report[0]);
        Assert.Equal("Notification", notification.Headers[HeaderId.ContentDescription]);
        Assert.Equal("text/plain; charset=utf-8", notification.Headers[HeaderId.ContentType]);
        var text = NoticeTestBed.NotificationText(mime);
        Assert.StartsWith($"This is the mail system at host {NoticeTestBed.Host}.\n\nI'm sorry to have to inform you that your message could not\n" +
            "be delivered to one or more recipients. It's attached below.\n", text);
        // After the boiler-plate, one "<rcpt>: reason" entry wrapped at 79 columns with a 4-space indent.
        const string signature = "                   The mail system\n\n";
        var entry = text[(text.IndexOf(signature, StringComparison.Ordinal) + signature.Length)..].TrimEnd('\n').Split('\n');
        Assert.Equal(["<bob@remote.example>: host mx.remote.example[192.0.2.25] said: 550 5.1.1",
            "    <bob@remote.example>: Recipient address rejected: User unknown in virtual",
            "    mailbox table (in reply to RCPT TO command)"], entry);

        var status = Assert.IsType<MessageDeliveryStatus>(report[1]);
        Assert.Equal("Delivery report", status.Headers[HeaderId.ContentDescription]);
        var perMessage = status.StatusGroups[0];
        Assert.Equal($"dns; {NoticeTestBed.Host}", perMessage["Reporting-MTA"]);
        Assert.Equal(original.Id.Value, perMessage["X-Postfix-Queue-ID"]);
        Assert.Equal("rfc822; alice@example.org", perMessage["X-Postfix-Sender"]);
        Assert.Equal(original.Envelope.ArrivalTime.ToUnixTimeSeconds(), DateUtils.TryParse(perMessage["Arrival-Date"], out var arrival) ? arrival.ToUnixTimeSeconds() : -1);
        Assert.Null(perMessage["Original-Envelope-Id"]);
        var perRecipient = status.StatusGroups[1];
        Assert.Equal("rfc822; bob@remote.example", perRecipient["Final-Recipient"]);
        Assert.Null(perRecipient["Original-Recipient"]);
        Assert.Equal("failed", perRecipient["Action"]);
        Assert.Equal("5.1.1", perRecipient["Status"]);
        Assert.Equal("dns; mx.remote.example", perRecipient["Remote-MTA"]);
        Assert.Equal("smtp; 550 5.1.1 <bob@remote.example>: Recipient address rejected: User unknown in virtual mailbox table",
            NoticeTestBed.Unfolded(perRecipient, "Diagnostic-Code"));

        var returned = Assert.IsType<MessagePart>(report[2]);
        Assert.Equal("Undelivered Message", returned.Headers[HeaderId.ContentDescription]);
        Assert.Equal("message/rfc822", returned.ContentType.MimeType);
        Assert.Equal("<alice@example.org>", returned.Message!.Headers["Return-Path"]);
        Assert.Equal("lunch", returned.Message!.Subject);
        Assert.Equal("See you at noon.", returned.Message!.TextBody?.Trim());
    }

    [Fact]
    public async Task StoredNoticeUsesCrlfOnlyAndEndsWithTheClosingBoundary()
    {
        var original = await _bed.EnqueueAsync("alice@example.org", "bob@remote.example");
        var id = (await _bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default))!.Value;

        var (queued, raw, mime) = await _bed.ReadAsync(id);

        for (int i = 0; i < raw.Length; i++)
            if (raw[i] == '\n') Assert.True(i > 0 && raw[i - 1] == '\r', $"bare LF at byte {i}");
        var boundary = NoticeTestBed.Report(mime).ContentType.Boundary;
        Assert.EndsWith($"\r\n--{boundary}--\r\n", Encoding.UTF8.GetString(raw));
        Assert.Equal(raw.Length, queued.Size);
    }

    [Fact]
    public async Task BounceIsLoggedAsPostfixDoes()
    {
        var original = await _bed.EnqueueAsync("alice@example.org", "bob@remote.example");
        var id = (await _bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default))!.Value;

        var lines = _bed.LogLines;
        Assert.Equal(2, lines.Length);
        Assert.Matches($@"^\w{{3}} [ 0-9]\d \d\d:\d\d:\d\d mail postfix/bounce\[\d+\]: {original.Id.Value}: sender non-delivery notification: {id.Value}$", lines[0]);
        Assert.Matches($@" postfix/cleanup\[\d+\]: {id.Value}: message-id=<\d{{14}}\.{id.Value}@mail\.example\.com>$", lines[1]);
    }

    [Fact]
    public async Task AliasMemberIsReportedAsExpandedFromTheOriginalRecipient()
    {
        var original = await _bed.EnqueueAsync("alice@example.org", [new Recipient("team@example.com", "team@example.com")]);
        var id = (await _bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "carol@remote.example")], default))!.Value;

        var (_, _, mime) = await _bed.ReadAsync(id);

        var text = NoticeTestBed.NotificationText(mime);
        Assert.Contains("\n<carol@remote.example> (expanded from <team@example.com>): host\n", text);
        var perRecipient = NoticeTestBed.StatusGroup(mime, 1);
        Assert.Equal("rfc822; carol@remote.example", perRecipient["Final-Recipient"]);
        Assert.Equal("rfc822; team@example.com", perRecipient["Original-Recipient"]);
    }

    [Fact]
    public async Task ReasonWithoutRemoteServerIsAnXPostfixDiagnostic()
    {
        var original = await _bed.EnqueueAsync("alice@example.org", "nobody@example.com");
        var failed = new NoticeRecipient(0, "nobody@example.com",
            RecipientOutcome.Bounced("5.1.1", "unknown user: \"nobody\""), null, null, DateTimeOffset.UtcNow);

        var id = (await _bed.Notifier.BounceAsync(original, [failed], default))!.Value;

        var perRecipient = NoticeTestBed.StatusGroup((await _bed.ReadAsync(id)).Mime, 1);
        Assert.Equal("X-Postfix; unknown user: \"nobody\"", perRecipient["Diagnostic-Code"]);
        Assert.Null(perRecipient["Remote-MTA"]);
    }

    [Fact]
    public async Task ThreadedBouncesReferToTheOriginalMessageId()
    {
        await using var bed = new NoticeTestBed(("enable_threaded_bounces", "yes"));
        var original = await bed.EnqueueAsync("alice@example.org", "bob@remote.example");
        var id = (await bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default))!.Value;

        var (_, _, mime) = await bed.ReadAsync(id);

        Assert.Equal("<original.1@example.org>", mime.Headers[HeaderId.References]);
        Assert.Equal("<original.1@example.org>", mime.Headers[HeaderId.InReplyTo]);
        var unthreaded = await _bed.Notifier.BounceAsync(await _bed.EnqueueAsync("alice@example.org", "bob@remote.example"), [NoticeTestBed.Rejected(0, "bob@remote.example")], default);
        Assert.Null((await _bed.ReadAsync(unthreaded!.Value)).Mime.Headers[HeaderId.References]);
    }

    [Fact]
    public async Task ObsoleteHeaderFromFormatPutsTheNameInAComment()
    {
        await using var bed = new NoticeTestBed(("header_from_format", "obsolete"), ("myorigin", "example.com"));
        var original = await bed.EnqueueAsync("alice@example.org", "bob@remote.example");
        var id = (await bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default))!.Value;

        Assert.Equal("MAILER-DAEMON@example.com (Mail Delivery System)", (await bed.ReadAsync(id)).Mime.Headers[HeaderId.From]);
    }

    [Fact]
    public async Task WithoutSmtputf8TheNoticeIsSevenBitUsAscii()
    {
        await using var bed = new NoticeTestBed(("smtputf8_enable", "no"));
        var original = await bed.EnqueueAsync("alice@example.org", "bob@remote.example");
        var id = (await bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default))!.Value;

        var (queued, raw, mime) = await bed.ReadAsync(id);

        Assert.Contains("\r\nContent-Transfer-Encoding: 7bit\r\nMessage-Id: ", Encoding.ASCII.GetString(raw));
        Assert.Equal("text/plain; charset=us-ascii", NoticeTestBed.Report(mime)[0].Headers[HeaderId.ContentType]);
        Assert.DoesNotContain("Content-Transfer-Encoding: 8bit", Encoding.ASCII.GetString(raw));
        Assert.False(queued.Envelope.Body8Bit);
    }

    [Fact]
    public async Task QueueFailureIsLoggedAndThrownSoTheRecipientIsKept()
    {
        var original = await _bed.EnqueueAsync("alice@example.org", "bob@remote.example");
        // The store can no longer create message bodies: a full or broken disk.
        Directory.Delete(Path.Combine(_bed.QueueDirectory, "body"), recursive: true);

        await Assert.ThrowsAsync<QueueUnavailableException>(async () =>
            await _bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default));

        var line = Assert.Single(_bed.LogLines);
        Assert.Contains($" postfix/bounce[{Environment.ProcessId}]: warning: {original.Id.Value}: sender notification failed to alice@example.org: ", line);
    }
}

using System.Text;
using Mta.Delivery.Notices;
using Mta.Queue;
using MimeKit;
using MimeKit.Utils;

namespace Mta.Delivery.Tests.Notices;

/// <summary>Delay warnings (delay_warning_time) and NOTIFY=SUCCESS reports.</summary>
public sealed class DelayAndSuccessNoticeTests
{
    [Fact]
    public async Task DelayWarningUsesPostfixTextAndReportsDelayedUntilExpiry()
    {
        await using var bed = new NoticeTestBed(("delay_warning_time", "4h"), ("maximal_queue_lifetime", "5d"));
        var original = await bed.EnqueueAsync("alice@example.org", "bob@remote.example");

        var id = await bed.Notifier.DelayWarningAsync(original, [NoticeTestBed.Deferred(0, "bob@remote.example")], default);

        var (queued, raw, mime) = await bed.ReadAsync(id!.Value);
        Assert.Equal("", queued.Envelope.Sender);
        Assert.Equal("Delayed Mail (still being retried)", mime.Subject);
        Assert.Equal("auto-replied", mime.Headers["Auto-Submitted"]);
        var text = NoticeTestBed.NotificationText(mime);
        Assert.StartsWith($"This is the mail system at host {NoticeTestBed.Host}.\n\n" +
            "####################################################################\n" +
            "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n" +
            "####################################################################\n\n" +
            "Your message could not be delivered for more than 4 hour(s).\n" +
            "It will be retried until it is 5 day(s) old.\n", text);
        Assert.Contains("\n<bob@remote.example>: connect to mx.remote.example[192.0.2.25]:25: Connection\n    refused\n", text);
        var perRecipient = NoticeTestBed.StatusGroup(mime, 1);
        Assert.Equal("delayed", perRecipient["Action"]);
        Assert.Equal("4.4.1", perRecipient["Status"]);
        Assert.Equal("X-Postfix; connect to mx.remote.example[192.0.2.25]:25: Connection refused", NoticeTestBed.Unfolded(perRecipient, "Diagnostic-Code"));
        Assert.True(DateUtils.TryParse(perRecipient["Will-Retry-Until"], out var until));
        Assert.Equal((original.Envelope.ArrivalTime + TimeSpan.FromDays(5)).ToUnixTimeSeconds(), until.ToUnixTimeSeconds());
        // A warning returns the headers only: the message is still queued here.
        Assert.Equal("text/rfc822-headers", NoticeTestBed.Report(mime)[2].ContentType.MimeType);
        Assert.Equal("Undelivered Message Headers", NoticeTestBed.Report(mime)[2].Headers[HeaderId.ContentDescription]);
        Assert.DoesNotContain("See you at noon.", Encoding.UTF8.GetString(raw));
        Assert.Matches($@" postfix/bounce\[\d+\]: {original.Id.Value}: sender delay notification: {id.Value}$", bed.LogLines[0]);
    }

    [Theory]
    [InlineData(DsnNotify.Default, true)]
    [InlineData(DsnNotify.Delay, true)]
    [InlineData(DsnNotify.Failure | DsnNotify.Delay, true)]
    [InlineData(DsnNotify.Failure, false)]
    [InlineData(DsnNotify.Success, false)]
    [InlineData(DsnNotify.Never, false)]
    public async Task DelayWarningOnlyWhenNotifyIsDefaultOrHasDelay(DsnNotify notify, bool warned)
    {
        await using var bed = new NoticeTestBed(("delay_warning_time", "4h"));
        var original = await bed.EnqueueAsync("alice@example.org", [new Recipient("bob@remote.example", Notify: notify)]);

        var id = await bed.Notifier.DelayWarningAsync(original, [NoticeTestBed.Deferred(0, "bob@remote.example")], default);

        Assert.Equal(warned, id is not null);
        Assert.Equal(warned ? 2 : 1, await bed.CountMessagesAsync());
    }

    [Fact]
    public async Task DelayClassCopiesWarningsToTheDelayNoticeRecipient()
    {
        await using var bed = new NoticeTestBed(("delay_warning_time", "1h"), ("notify_classes", "delay"), ("delay_notice_recipient", "delays@example.com"));
        var original = await bed.EnqueueAsync("alice@example.org", "bob@remote.example");

        await bed.Notifier.DelayWarningAsync(original, [NoticeTestBed.Deferred(0, "bob@remote.example")], default);

        var copy = (await bed.Store.ListAsync(null, default).ToListAsync()).Single(m => m.Envelope.Recipients[0].Address == "delays@example.com");
        var mime = (await bed.ReadAsync(copy.Id)).Mime;
        Assert.Equal("Postmaster Warning: Delayed Mail", mime.Subject);
        Assert.Equal("double-bounce@mail.example.com", copy.Envelope.Sender);
        Assert.Matches($@" postfix/bounce\[\d+\]: {original.Id.Value}: postmaster delay notification: {copy.Id.Value}$", bed.LogLines[2]);
    }

    [Fact]
    public async Task DelayedBounceIsWarnedToThePostmasterOnlyWithTheDelayClass()
    {
        await using var quiet = new NoticeTestBed(("delay_warning_time", "1h"));
        var bounce = await quiet.EnqueueAsync("", "alice@example.org");
        Assert.Null(await quiet.Notifier.DelayWarningAsync(bounce, [NoticeTestBed.Deferred(0, "alice@example.org")], default));

        await using var bed = new NoticeTestBed(("delay_warning_time", "1h"), ("notify_classes", "delay"));
        bounce = await bed.EnqueueAsync("", "alice@example.org");
        var id = await bed.Notifier.DelayWarningAsync(bounce, [NoticeTestBed.Deferred(0, "alice@example.org")], default);
        var (queued, _, mime) = await bed.ReadAsync(id!.Value);
        Assert.Equal("double-bounce@mail.example.com", queued.Envelope.Sender);
        Assert.Equal("postmaster@mail.example.com", queued.Envelope.Recipients[0].Address);
        Assert.Equal("Postmaster Warning: Delayed Mail", mime.Subject);
        Assert.Equal("message/rfc822", NoticeTestBed.Report(mime)[2].ContentType.MimeType);
    }

    [Fact]
    public async Task SuccessReportOnlyForNotifySuccess()
    {
        await using var bed = new NoticeTestBed();
        var original = await bed.EnqueueAsync("alice@example.org",
        [
            new Recipient("bob@example.com", Notify: DsnNotify.Success | DsnNotify.Failure),
            new Recipient("carol@example.com"),
            new Recipient("dave@remote.example", Notify: DsnNotify.Success),
        ]);
        NoticeRecipient[] delivered =
        [
            new(0, "bob@example.com", RecipientOutcome.Delivered("2.0.0", "delivered to maildir"), null, null, DateTimeOffset.UtcNow),
            new(1, "carol@example.com", RecipientOutcome.Delivered("2.0.0", "delivered to maildir"), null, null, DateTimeOffset.UtcNow),
            new(2, "dave@remote.example", RecipientOutcome.Delivered("2.0.0", "250 2.0.0 Ok: queued as 4XyZ"), "mx.remote.example", "smtp; 250 2.0.0 Ok: queued as 4XyZ", DateTimeOffset.UtcNow),
        ];

        var id = await bed.Notifier.SuccessAsync(original, delivered, default);

        var (queued, raw, mime) = await bed.ReadAsync(id!.Value);
        Assert.Equal("", queued.Envelope.Sender);
        Assert.Equal("Successful Mail Delivery Report", mime.Subject);
        Assert.StartsWith($"This is the mail system at host {NoticeTestBed.Host}.\n\nYour message was successfully delivered to the destination(s)\n", NoticeTestBed.NotificationText(mime));
        var groups = Assert.IsType<MessageDeliveryStatus>(NoticeTestBed.Report(mime)[1]).StatusGroups;
        Assert.Equal(["rfc822; bob@example.com", "rfc822; dave@remote.example"], groups.Skip(1).Select(g => g["Final-Recipient"]));
        Assert.Equal(["delivered", "relayed"], groups.Skip(1).Select(g => g["Action"]));
        Assert.Equal("X-Postfix; delivered to maildir", groups[1]["Diagnostic-Code"]);
        Assert.Equal("Message Headers", NoticeTestBed.Report(mime)[2].Headers[HeaderId.ContentDescription]);
        Assert.DoesNotContain("Will-Retry-Until", Encoding.UTF8.GetString(raw));
        Assert.Matches($@" postfix/bounce\[\d+\]: {original.Id.Value}: sender delivery status notification: {id.Value}$", bed.LogLines[0]);
    }

    [Fact]
    public async Task NoSuccessReportWithoutNotifySuccess()
    {
        await using var bed = new NoticeTestBed();
        var original = await bed.EnqueueAsync("alice@example.org", "bob@example.com");

        var id = await bed.Notifier.SuccessAsync(original,
            [new(0, "bob@example.com", RecipientOutcome.Delivered("2.0.0", "delivered to maildir"), null, null, DateTimeOffset.UtcNow)], default);

        Assert.Null(id);
        Assert.Equal(1, await bed.CountMessagesAsync());
    }

    [Fact]
    public async Task SuccessOfABounceIsNotReportedToTheNullSender()
    {
        await using var bed = new NoticeTestBed();
        var bounce = await bed.EnqueueAsync("", [new Recipient("alice@example.org", Notify: DsnNotify.Success)]);

        var id = await bed.Notifier.SuccessAsync(bounce,
            [new(0, "alice@example.org", RecipientOutcome.Delivered("2.0.0", "delivered to maildir"), null, null, DateTimeOffset.UtcNow)], default);

        Assert.Null(id);
        Assert.EndsWith($": {bounce.Id.Value}: not sending trace/success notification for single-bounce message", bed.LogLines.Single());
    }
}

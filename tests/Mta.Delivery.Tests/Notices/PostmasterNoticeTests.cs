using System.Text;
using Mta.Delivery.Notices;
using Mta.Queue;
using MimeKit;

namespace Mta.Delivery.Tests.Notices;

/// <summary>
/// The null sender is never notified: a failed bounce becomes a double bounce to 2bounce_notice_recipient (only
/// when notify_classes asks), a failed double bounce is discarded, and notify_classes adds postmaster copies.
/// </summary>
public sealed class PostmasterNoticeTests
{
    [Fact]
    public async Task FailedBounceIsDroppedWithDefaultNotifyClasses()
    {
        await using var bed = new NoticeTestBed();
        var bounce = await bed.EnqueueAsync("", "alice@example.org");

        var id = await bed.Notifier.BounceAsync(bounce, [NoticeTestBed.Rejected(0, "alice@example.org")], default);

        Assert.Null(id);
        Assert.Equal(1, await bed.CountMessagesAsync());
        Assert.Empty(bed.LogLines);
    }

    [Theory]
    [InlineData("2bounce")]
    [InlineData("bounce")]
    public async Task FailedBounceGoesToThe2bounceRecipientAsADoubleBounce(string notifyClasses)
    {
        await using var bed = new NoticeTestBed(("notify_classes", notifyClasses), ("2bounce_notice_recipient", "mailops"));
        var bounce = await bed.EnqueueAsync("", "alice@example.org");

        var id = await bed.Notifier.BounceAsync(bounce, [NoticeTestBed.Rejected(0, "alice@example.org")], default);

        var (queued, raw, mime) = await bed.ReadAsync(id!.Value);
        Assert.Equal("double-bounce@mail.example.com", queued.Envelope.Sender);
        Assert.Equal(["mailops@mail.example.com"], queued.Envelope.Recipients.Select(r => r.Address));
        Assert.Equal("mailops@mail.example.com", mime.Headers[HeaderId.To]);
        Assert.Equal("Postmaster Copy: Undelivered Mail", mime.Subject);
        Assert.Equal("auto-generated", mime.Headers["Auto-Submitted"]);
        // No boiler-plate for the postmaster: the reasons only, then the whole failed bounce.
        Assert.StartsWith("\n<alice@example.org>: host", NoticeTestBed.NotificationText(mime));
        Assert.Equal("rfc822; MAILER-DAEMON", NoticeTestBed.StatusGroup(mime, 0)["X-Postfix-Sender"]);
        var returned = Assert.IsType<MessagePart>(NoticeTestBed.Report(mime)[2]);
        Assert.Equal("<MAILER-DAEMON>", returned.Message!.Headers["Return-Path"]);
        Assert.Contains("See you at noon.", Encoding.UTF8.GetString(raw));
        Assert.Matches($@" postfix/bounce\[\d+\]: {bounce.Id.Value}: postmaster non-delivery notification: {id.Value}$", bed.LogLines[0]);
    }

    [Theory]
    [InlineData("double-bounce@mail.example.com")]
    [InlineData("Double-Bounce@MAIL.example.com")]
    public async Task FailedDoubleBounceIsDiscardedWithAWarning(string sender)
    {
        await using var bed = new NoticeTestBed(("notify_classes", "bounce, 2bounce, delay"));
        var doubleBounce = await bed.EnqueueAsync(sender, "postmaster@mail.example.com");

        Assert.Null(await bed.Notifier.BounceAsync(doubleBounce, [NoticeTestBed.Rejected(0, "postmaster@mail.example.com")], default));
        Assert.Null(await bed.Notifier.DelayWarningAsync(doubleBounce, [NoticeTestBed.Deferred(0, "postmaster@mail.example.com")], default));

        Assert.Equal(1, await bed.CountMessagesAsync());
        Assert.All(bed.LogLines, line => Assert.EndsWith($" postfix/bounce[{Environment.ProcessId}]: warning: {doubleBounce.Id.Value}: undeliverable postmaster notification discarded", line));
        Assert.Equal(2, bed.LogLines.Length);
    }

    [Fact]
    public async Task BouncesNeverLoop()
    {
        await using var bed = new NoticeTestBed(("notify_classes", "bounce, 2bounce"));
        var message = await bed.EnqueueAsync("alice@example.org", "bob@remote.example");
        var generations = new List<QueueId>();
        // Every notice fails in turn, as if no address in the chain could take mail.
        for (int round = 0; round < 5; round++)
        {
            var recipient = message.Envelope.Recipients[0].Address;
            var notice = await bed.Notifier.BounceAsync(message, [NoticeTestBed.Rejected(0, recipient)], default);
            if (notice is null) break;
            generations.Add(notice.Value);
            message = (await bed.Store.GetAsync(notice.Value, default))!;
        }

        // Bounce to alice (null sender), then a double bounce to the postmaster, then nothing.
        Assert.Equal(2, generations.Count);
        Assert.Equal("", (await bed.Store.GetAsync(generations[0], default))!.Envelope.Sender);
        Assert.Equal("double-bounce@mail.example.com", (await bed.Store.GetAsync(generations[1], default))!.Envelope.Sender);
        Assert.Contains(bed.LogLines, l => l.EndsWith($"warning: {generations[1].Value}: undeliverable postmaster notification discarded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BounceClassSendsThePostmasterAHeadersOnlyCopy()
    {
        await using var bed = new NoticeTestBed(("notify_classes", "bounce"), ("bounce_notice_recipient", "bounces@example.com"));
        var original = await bed.EnqueueAsync("alice@example.org", "bob@remote.example");

        var senderNotice = await bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default);

        var copy = (await bed.Store.ListAsync(null, default).ToListAsync()).Single(m => m.Envelope.Sender.Length > 0 && m.Id != original.Id);
        Assert.NotEqual(senderNotice, copy.Id);
        Assert.Equal("double-bounce@mail.example.com", copy.Envelope.Sender);
        Assert.Equal(["bounces@example.com"], copy.Envelope.Recipients.Select(r => r.Address));
        var (_, raw, mime) = await bed.ReadAsync(copy.Id);
        Assert.Equal("Postmaster Copy: Undelivered Mail", mime.Subject);
        Assert.Equal("auto-generated", mime.Headers["Auto-Submitted"]);
        Assert.Equal("text/rfc822-headers", NoticeTestBed.Report(mime)[2].ContentType.MimeType);
        Assert.DoesNotContain("See you at noon.", Encoding.UTF8.GetString(raw));
        Assert.DoesNotContain("I'm sorry", NoticeTestBed.NotificationText(mime));
        Assert.Matches($@" postfix/bounce\[\d+\]: {original.Id.Value}: sender non-delivery notification: {senderNotice!.Value.Value}$", bed.LogLines[0]);
        Assert.Matches($@" postfix/bounce\[\d+\]: {original.Id.Value}: postmaster non-delivery notification: {copy.Id.Value}$", bed.LogLines[2]);
    }

    [Fact]
    public async Task PostmasterCopyIgnoresNotifyNever()
    {
        await using var bed = new NoticeTestBed(("notify_classes", "bounce"));
        var original = await bed.EnqueueAsync("alice@example.org", [new Recipient("bob@remote.example", Notify: DsnNotify.Never)]);

        var id = await bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default);

        var (queued, _, mime) = await bed.ReadAsync(id!.Value);
        Assert.Equal(["postmaster@mail.example.com"], queued.Envelope.Recipients.Select(r => r.Address));
        Assert.Equal("Postmaster Copy: Undelivered Mail", mime.Subject);
        Assert.Equal(2, await bed.CountMessagesAsync());
    }

    [Fact]
    public async Task DefaultNotifyClassesSendNoPostmasterCopy()
    {
        await using var bed = new NoticeTestBed();
        var original = await bed.EnqueueAsync("alice@example.org", "bob@remote.example");

        await bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default);

        Assert.Equal(2, await bed.CountMessagesAsync());
        Assert.DoesNotContain(bed.LogLines, l => l.Contains("postmaster", StringComparison.Ordinal));
    }
}

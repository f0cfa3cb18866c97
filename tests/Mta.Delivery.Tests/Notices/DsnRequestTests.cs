using System.Text;
using Mta.Delivery.Notices;
using Mta.Queue;
using MimeKit;

namespace Mta.Delivery.Tests.Notices;

/// <summary>RFC 3461 requests honoured by non-delivery notices: NOTIFY, RET, ENVID, ORCPT, and bounce_size_limit.</summary>
public sealed class DsnRequestTests : IAsyncLifetime
{
    private readonly NoticeTestBed _bed = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Theory]
    [InlineData(DsnNotify.Never)]
    [InlineData(DsnNotify.Success)]
    [InlineData(DsnNotify.Delay)]
    [InlineData(DsnNotify.Success | DsnNotify.Delay)]
    public async Task NotifyWithoutFailureMeansNoBounce(DsnNotify notify)
    {
        var original = await _bed.EnqueueAsync("alice@example.org", [new Recipient("bob@remote.example", Notify: notify)]);

        var id = await _bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default);

        Assert.Null(id);
        Assert.Equal(1, await _bed.CountMessagesAsync());
        Assert.Empty(_bed.LogLines);
    }

    [Theory]
    [InlineData(DsnNotify.Default)]
    [InlineData(DsnNotify.Failure)]
    [InlineData(DsnNotify.Failure | DsnNotify.Delay)]
    [InlineData(DsnNotify.Success | DsnNotify.Failure)]
    public async Task NotifyWithFailureOrNoNotifyBounces(DsnNotify notify)
    {
        var original = await _bed.EnqueueAsync("alice@example.org", [new Recipient("bob@remote.example", Notify: notify)]);

        Assert.NotNull(await _bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default));
    }

    [Fact]
    public async Task OnlyRecipientsThatAskedForFailureAreReported()
    {
        var original = await _bed.EnqueueAsync("alice@example.org",
        [
            new Recipient("never@remote.example", Notify: DsnNotify.Never),
            new Recipient("failure@remote.example", Notify: DsnNotify.Failure),
            new Recipient("plain@remote.example"),
        ]);

        var id = await _bed.Notifier.BounceAsync(original,
            [NoticeTestBed.Rejected(0, "never@remote.example"), NoticeTestBed.Rejected(1, "failure@remote.example"), NoticeTestBed.Rejected(2, "plain@remote.example")], default);

        var status = Assert.IsType<MessageDeliveryStatus>(NoticeTestBed.Report((await _bed.ReadAsync(id!.Value)).Mime)[1]);
        Assert.Equal(["rfc822; failure@remote.example", "rfc822; plain@remote.example"], status.StatusGroups.Skip(1).Select(g => g["Final-Recipient"]));
        Assert.DoesNotContain("never@", NoticeTestBed.NotificationText((await _bed.ReadAsync(id.Value)).Mime));
    }

    [Fact]
    public async Task RetHdrsReturnsOnlyTheHeaders()
    {
        var original = await _bed.EnqueueAsync("alice@example.org", [new Recipient("bob@remote.example")], ret: DsnRet.Hdrs);

        var id = await _bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default);

        var (_, raw, mime) = await _bed.ReadAsync(id!.Value);
        var returned = NoticeTestBed.Report(mime)[2];
        Assert.Equal("text/rfc822-headers", returned.ContentType.MimeType);
        Assert.Equal("Undelivered Message Headers", returned.Headers[HeaderId.ContentDescription]);
        var text = Encoding.UTF8.GetString(raw);
        Assert.Contains("\r\n\r\nReturn-Path: <alice@example.org>\r\nReceived: from client.example.org", text);
        Assert.Contains("\r\nSubject: lunch\r\n", text);
        Assert.Contains("\r\nDate: Thu, 26 Nov 2026 01:00:00 +0000 (UTC)\r\n\r\n--", text);
        Assert.DoesNotContain("See you at noon.", text);
    }

    [Fact]
    public async Task RetFullReturnsTheWholeMessage()
    {
        var original = await _bed.EnqueueAsync("alice@example.org", [new Recipient("bob@remote.example")], ret: DsnRet.Full);

        var id = await _bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default);

        var returned = Assert.IsType<MessagePart>(NoticeTestBed.Report((await _bed.ReadAsync(id!.Value)).Mime)[2]);
        Assert.Equal("See you at noon.", returned.Message!.TextBody?.Trim());
    }

    [Fact]
    public async Task OriginalOverBounceSizeLimitIsReturnedAsHeadersOnly()
    {
        await using var bed = new NoticeTestBed(("bounce_size_limit", "1000"));
        var big = NoticeTestBed.SimpleBody(body: string.Join("\r\n", Enumerable.Repeat(new string('x', 70), 100)));
        var original = await bed.EnqueueAsync("alice@example.org", [new Recipient("bob@remote.example")], big, ret: DsnRet.Full);

        var id = await bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default);

        var (_, raw, mime) = await bed.ReadAsync(id!.Value);
        var returned = NoticeTestBed.Report(mime)[2];
        Assert.Equal("text/rfc822-headers", returned.ContentType.MimeType);
        Assert.Equal("Undelivered Message Headers", returned.Headers[HeaderId.ContentDescription]);
        Assert.DoesNotContain(new string('x', 70), Encoding.UTF8.GetString(raw));
        Assert.True(raw.Length < big.Length, $"{raw.Length} bytes");
    }

    [Fact]
    public async Task OriginalWithinBounceSizeLimitIsReturnedWhole()
    {
        await using var bed = new NoticeTestBed(("bounce_size_limit", "100000"));
        var big = NoticeTestBed.SimpleBody(body: string.Join("\r\n", Enumerable.Repeat(new string('x', 70), 100)));
        var original = await bed.EnqueueAsync("alice@example.org", [new Recipient("bob@remote.example")], big);

        var id = await bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default);

        var (_, raw, mime) = await bed.ReadAsync(id!.Value);
        Assert.Equal("message/rfc822", NoticeTestBed.Report(mime)[2].ContentType.MimeType);
        Assert.Contains(big, Encoding.UTF8.GetString(raw));
    }

    [Fact]
    public async Task EnvidAndOrcptAreReportedAsGiven()
    {
        var original = await _bed.EnqueueAsync("alice@example.org",
            [new Recipient("bob@remote.example", "Bob@Remote.Example", "rfc822;Bob@Remote.Example")], envId: "QQ314159");

        var id = await _bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default);

        var mime = (await _bed.ReadAsync(id!.Value)).Mime;
        Assert.Equal("QQ314159", NoticeTestBed.StatusGroup(mime, 0)["Original-Envelope-Id"]);
        Assert.Equal("rfc822;Bob@Remote.Example", NoticeTestBed.StatusGroup(mime, 1)["Original-Recipient"]);
        // Case alone is no expansion: the human text shows no "(expanded from ...)".
        Assert.Contains("\n<bob@remote.example>: host", NoticeTestBed.NotificationText(mime));
    }

    [Fact]
    public async Task MissingOriginalStillBouncesWithAPlaceHolder()
    {
        var original = await _bed.EnqueueAsync("alice@example.org", "bob@remote.example");
        await _bed.Store.Bodies.DeleteAsync(original.Id, default);

        var id = await _bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default);

        Assert.Contains("\r\n\r\n\t--- Undelivered message unavailable ---\r\n", Encoding.UTF8.GetString((await _bed.ReadAsync(id!.Value)).Raw));
    }

    [Fact]
    public async Task Smtputf8OriginalGetsGlobalTypesAndUtf8Addresses()
    {
        var original = await _bed.EnqueueAsync("alice@example.org", [new Recipient("jürgen@bücher.example")], smtputf8: true);

        var id = await _bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "jürgen@bücher.example")], default);

        var (queued, raw, _) = await _bed.ReadAsync(id!.Value);
        var text = Encoding.UTF8.GetString(raw);
        Assert.Contains("\r\nContent-Type: message/global-delivery-status\r\nContent-Transfer-Encoding: 8bit\r\n", text);
        Assert.Contains("\r\nFinal-Recipient: utf-8; jürgen@bücher.example\r\n", text);
        Assert.Contains("\r\nX-Postfix-Sender: rfc822; alice@example.org\r\n", text);
        Assert.Contains("\r\nContent-Type: message/global\r\n", text);
        Assert.True(queued.Envelope.Smtputf8);
    }
}

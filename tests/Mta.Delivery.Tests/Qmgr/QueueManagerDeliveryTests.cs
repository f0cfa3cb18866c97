using Mta.Delivery.Agents;
using Mta.Delivery.Qmgr;
using Mta.Queue;

namespace Mta.Delivery.Tests.Qmgr;

public sealed class QueueManagerDeliveryTests
{
    private static readonly RecipientOutcome Sent = RecipientOutcome.Delivered("2.0.0", "250 2.0.0 Ok: queued as 4cXyz");

    [Fact]
    public async Task DeliveredMessageIsLoggedAndRemovedWithExactLines()
    {
        await using var h = new QmgrHarness();
        var id = await h.EnqueueAsync("alice@here.test", "bob@remote.test");
        h.Clock.Advance(TimeSpan.FromSeconds(1.2));
        long bodyLength = -1;
        h.Smtp.During = async (request, ct) =>
        {
            await using (var body = await request.OpenBody(ct)) bodyLength = body.Length;
            h.Clock.Advance(TimeSpan.FromSeconds(0.5));
        };
        h.Smtp.Script = request => [new RecipientResult(request.Recipients[0].Index, Sent, "mx.remote.test[127.0.0.1]:25",
            ConnectSetup: TimeSpan.FromSeconds(0.1), Transmission: TimeSpan.FromSeconds(0.4))];
        h.Start();

        await h.WaitForLineAsync($"postfix/qmgr: {id}: removed");
        Assert.Equal(
        [
            $"postfix/qmgr: {id}: from=<alice@here.test>, size={QmgrHarness.Body.Length}, nrcpt=1 (queue active)",
            $"postfix/smtp: {id}: to=<bob@remote.test>, relay=mx.remote.test[127.0.0.1]:25, delay=1.7, delays=1.2/0/0.1/0.4, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4cXyz)",
            $"postfix/qmgr: {id}: removed",
        ], h.Log.Lines);
        Assert.Null(await h.GetAsync(id));
        var call = Assert.Single(h.Smtp.Calls);
        Assert.Equal(("smtp", "remote.test", "alice@here.test"), (call.Transport, call.Nexthop, call.Sender));
        Assert.Equal(QmgrHarness.Body.Length, bodyLength);
        Assert.Empty(h.Notifier.Notices);
    }

    [Fact]
    public async Task AliasMembersAreLoggedWithOrigToAndTheRecipientIsRecordedOnce()
    {
        await using var h = new QmgrHarness();
        var id = await h.EnqueueAsync("", new Recipient("list@local.test"), new Recipient("Carol@local.test", "carol@local.test"));
        h.Local.Script = request => request.Recipients[0].Address == "list@local.test"
            ?
            [
                new RecipientResult(request.Recipients[0].Index, RecipientOutcome.Delivered("2.0.0", "delivered to maildir"), "local", "x@local.test"),
                new RecipientResult(request.Recipients[0].Index, RecipientOutcome.Delivered("2.0.0", "delivered to maildir"), "local", "y@local.test"),
            ]
            : [new RecipientResult(request.Recipients[0].Index, RecipientOutcome.Delivered("2.0.0", "delivered to maildir"), "local")];
        h.Start();

        await h.WaitForLineAsync($"postfix/qmgr: {id}: removed");
        var lines = h.Log.Lines;
        Assert.Contains($"postfix/qmgr: {id}: from=<>, size={QmgrHarness.Body.Length}, nrcpt=2 (queue active)", lines);
        Assert.Contains($"postfix/local: {id}: to=<x@local.test>, orig_to=<list@local.test>, relay=local, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to maildir)", lines);
        Assert.Contains($"postfix/local: {id}: to=<y@local.test>, orig_to=<list@local.test>, relay=local, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to maildir)", lines);
        // orig_to is left out when it differs only in case, as log_adhoc compares it.
        Assert.Contains($"postfix/local: {id}: to=<Carol@local.test>, relay=local, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to maildir)", lines);
        Assert.Equal(2, h.Local.Calls.Count);
    }

    [Fact]
    public async Task PermanentFailureIsBouncedThroughTheNotifier()
    {
        await using var h = new QmgrHarness();
        var id = await h.EnqueueAsync("alice@here.test", "nobody@remote.test");
        h.Smtp.Script = request => [new RecipientResult(request.Recipients[0].Index,
            RecipientOutcome.Bounced("5.1.1", "host mx.remote.test[127.0.0.1] said: 550 5.1.1 No such user (in reply to RCPT TO command)"),
            "mx.remote.test[127.0.0.1]:25", RemoteMta: "mx.remote.test", DiagnosticCode: "smtp; 550 5.1.1 No such user")];
        h.Start();

        await h.WaitForLineAsync($"postfix/qmgr: {id}: removed");
        Assert.Contains($"postfix/smtp: {id}: to=<nobody@remote.test>, relay=mx.remote.test[127.0.0.1]:25, delay=0, delays=0/0/0/0, dsn=5.1.1, status=bounced (host mx.remote.test[127.0.0.1] said: 550 5.1.1 No such user (in reply to RCPT TO command))", h.Log.Lines);
        var notice = Assert.Single(h.Notifier.Notices);
        Assert.Equal(("bounce", id), (notice.Kind, notice.Message));
        var failed = Assert.Single(notice.Recipients);
        Assert.Equal((0, "nobody@remote.test", "5.1.1", "mx.remote.test", "smtp; 550 5.1.1 No such user"),
            (failed.Index, failed.Address, failed.Outcome.Dsn, failed.RemoteMta, failed.DiagnosticCode));
    }

    [Fact]
    public async Task MixedOutcomesOnOneMessageAreRecordedPerRecipient()
    {
        await using var h = new QmgrHarness();
        var id = await h.EnqueueAsync("alice@here.test", "ok@remote.test", "later@remote.test", "bad@remote.test");
        h.Smtp.Script = request => request.Recipients.Select(r => new RecipientResult(r.Index, r.Address switch
        {
            "ok@remote.test" => Sent,
            "later@remote.test" => RecipientOutcome.Deferred("4.2.0", "host mx said: 450 4.2.0 Try later"),
            _ => RecipientOutcome.Bounced("5.1.1", "host mx said: 550 5.1.1 Unknown"),
        }, "mx.remote.test[127.0.0.1]:25")).ToList();
        h.Start();

        await h.WaitForDeferredAsync(id, 1);
        var message = (await h.GetAsync(id))!;
        Assert.Equal([RecipientStatus.Delivered, RecipientStatus.Deferred, RecipientStatus.Bounced], message.Recipients.Select(r => r.Status));
        Assert.Equal("host mx said: 450 4.2.0 Try later", message.Recipients[1].Reason);
        Assert.Single(h.Smtp.Calls);
        var failed = Assert.Single(Assert.Single(h.Notifier.Of("bounce")));
        Assert.Equal("bad@remote.test", failed.Address);
        Assert.DoesNotContain(h.Log.Lines, l => l.EndsWith(": removed", StringComparison.Ordinal));
        Assert.Contains(h.Log.Lines, l => l.Contains("to=<later@remote.test>") && l.Contains("status=deferred (host mx said: 450 4.2.0 Try later)"));
    }

    [Fact]
    public async Task NotifySuccessDeliveriesGetASuccessNotice()
    {
        await using var h = new QmgrHarness();
        var id = await h.EnqueueAsync("alice@here.test", new Recipient("a@remote.test", Notify: DsnNotify.Success), new Recipient("b@remote.test"));
        h.Start();

        await h.WaitForLineAsync($"postfix/qmgr: {id}: removed");
        var delivered = Assert.Single(Assert.Single(h.Notifier.Of("success")));
        Assert.Equal("a@remote.test", delivered.Address);
    }

    [Fact]
    public async Task RecipientsAreSplitAtTheRecipientLimit()
    {
        await using var h = new QmgrHarness(("smtp_destination_recipient_limit", "2"));
        var remote = await h.EnqueueAsync("alice@here.test", "r1@remote.test", "r2@remote.test", "r3@remote.test", "r4@remote.test", "r5@remote.test", "o@other.test");
        var local = await h.EnqueueAsync("alice@here.test", "u1@local.test", "u2@local.test", "u3@local.test");
        h.Start();

        await h.WaitForLineAsync($"postfix/qmgr: {remote}: removed");
        await h.WaitForLineAsync($"postfix/qmgr: {local}: removed");
        Assert.Equal([1, 2, 2], h.Smtp.Calls.Where(c => c.Nexthop == "remote.test").Select(c => c.Recipients.Count).Order());
        Assert.Equal(["r1@remote.test", "r2@remote.test", "r3@remote.test", "r4@remote.test", "r5@remote.test"],
            h.Smtp.Calls.Where(c => c.Nexthop == "remote.test").SelectMany(c => c.Recipients.Select(r => r.Address)).Order());
        Assert.Single(h.Smtp.Calls, c => c.Nexthop == "other.test");
        // local_destination_recipient_limit = 1: one delivery per recipient.
        Assert.Equal(3, h.Local.Calls.Count);
        Assert.All(h.Local.Calls, c => Assert.Single(c.Recipients));
    }

    [Fact]
    public async Task NeverMoreParallelDeliveriesPerDestinationThanTheLimit()
    {
        await using var h = new QmgrHarness(("smtp_destination_concurrency_limit", "2"));
        var ids = new List<QueueId>();
        for (int i = 0; i < 8; i++) ids.Add(await h.EnqueueAsync("alice@here.test", $"r{i}@busy.test", $"r{i}@quiet.test"));
        h.Smtp.During = (_, ct) => Task.Delay(60, ct);
        h.Start();

        foreach (var id in ids) await h.WaitForLineAsync($"postfix/qmgr: {id}: removed");
        Assert.Equal(2, h.Smtp.MostParallel("busy.test"));
        Assert.Equal(2, h.Smtp.MostParallel("quiet.test"));
        Assert.Equal(16, h.Smtp.Calls.Count);
    }

    [Fact]
    public async Task SlowStartOpensTheWindowAfterASuccess()
    {
        await using var h = new QmgrHarness(("smtp_initial_destination_concurrency", "1"), ("smtp_destination_concurrency_limit", "2"));
        var ids = new List<QueueId>();
        for (int i = 0; i < 3; i++) ids.Add(await h.EnqueueAsync("alice@here.test", $"r{i}@remote.test"));
        var spans = new System.Collections.Concurrent.ConcurrentQueue<(DateTime Start, DateTime End)>();
        h.Smtp.During = async (_, ct) =>
        {
            var start = DateTime.UtcNow;
            await Task.Delay(150, ct);
            spans.Enqueue((start, DateTime.UtcNow));
        };
        h.Start();

        foreach (var id in ids) await h.WaitForLineAsync($"postfix/qmgr: {id}: removed");
        var ordered = spans.OrderBy(s => s.Start).ToList();
        // Window 1: the first delivery runs alone; its success widens the window to 2 for the other two.
        Assert.True(ordered[0].End <= ordered[1].Start && ordered[0].End <= ordered[2].Start);
        Assert.Equal(2, h.Smtp.MostParallel("remote.test"));
    }

    [Fact]
    public async Task RateDelaySpacesDeliveriesToOneDestination()
    {
        await using var h = new QmgrHarness(("smtp_destination_rate_delay", "10s"));
        var first = await h.EnqueueAsync("alice@here.test", "a@remote.test");
        var second = await h.EnqueueAsync("alice@here.test", "b@remote.test");
        h.Start();

        await h.WaitForAsync(() => h.Smtp.Calls.Count == 1, "the first delivery");
        await Task.Delay(200);
        Assert.Single(h.Smtp.Calls);
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        await h.WaitForLineAsync($"postfix/qmgr: {first}: removed");
        await h.WaitForLineAsync($"postfix/qmgr: {second}: removed");
        Assert.Equal(2, h.Smtp.Calls.Count);
    }

    [Fact]
    public async Task DeliveriesAreCounted()
    {
        double before = QmgrMetrics.Deliveries.WithLabels("local", "sent").Value;
        await using var h = new QmgrHarness();
        var id = await h.EnqueueAsync("alice@here.test", "u@local.test");
        h.Start();

        await h.WaitForLineAsync($"postfix/qmgr: {id}: removed");
        Assert.True(QmgrMetrics.Deliveries.WithLabels("local", "sent").Value >= before + 1);
        Assert.True(QmgrMetrics.DeliveryLatency.WithLabels("local").Count >= 1);
    }
}

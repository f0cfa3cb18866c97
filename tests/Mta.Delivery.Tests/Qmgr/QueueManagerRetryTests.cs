using Mta.Delivery.Agents;
using Mta.Queue;

namespace Mta.Delivery.Tests.Qmgr;

public sealed class QueueManagerRetryTests
{
    private static readonly RecipientOutcome TryLater = RecipientOutcome.Deferred("4.2.0", "host mx.remote.test[127.0.0.1] said: 450 4.2.0 Try later");
    private const string Relay = "mx.remote.test[127.0.0.1]:25";

    [Theory]
    [InlineData(0, 60)] // younger than minimal_backoff_time: waits the minimum
    [InlineData(200, 200)] // waits as long as it has been queued
    [InlineData(1000, 300)] // no longer than maximal_backoff_time
    public async Task DeferredMailIsRetriedAfterPostfixBackoffThenDelivered(int ageSeconds, int expectedWaitSeconds)
    {
        await using var h = new QmgrHarness(("minimal_backoff_time", "60s"), ("maximal_backoff_time", "300s"));
        var id = await h.EnqueueAsync("alice@here.test", "bob@remote.test");
        h.Clock.Advance(TimeSpan.FromSeconds(ageSeconds));
        var firstAttempt = h.Clock.GetUtcNow();
        h.Smtp.Script = request => h.Smtp.Calls.Count == 1
            ? ScriptedAgent.All(TryLater, Relay)(request)
            : ScriptedAgent.All(RecipientOutcome.Delivered("2.0.0", "250 2.0.0 Ok"), Relay)(request);
        h.Start();

        await h.WaitForDeferredAsync(id, 1);
        var deferred = (await h.GetAsync(id))!;
        Assert.Equal(firstAttempt + TimeSpan.FromSeconds(expectedWaitSeconds), deferred.NotBefore);
        Assert.Equal(RecipientStatus.Deferred, deferred.Recipients[0].Status);

        h.Clock.Advance(TimeSpan.FromSeconds(expectedWaitSeconds - 1));
        await Task.Delay(150);
        Assert.Single(h.Smtp.Calls);

        h.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.WaitForLineAsync($"postfix/qmgr: {id}: removed");
        Assert.Equal(2, h.Smtp.Calls.Count);
        Assert.Equal(2, h.Log.Lines.Count(l => l == $"postfix/qmgr: {id}: from=<alice@here.test>, size={QmgrHarness.Body.Length}, nrcpt=1 (queue active)"));
    }

    [Theory]
    [InlineData("alice@here.test", "2h")] // maximal_queue_lifetime = 1h
    [InlineData("", "20m")] // bounce_queue_lifetime = 10m for the null sender
    public async Task OldDeferredMailExpiresAndIsReturnedWithItsLastReason(string sender, string age)
    {
        await using var h = new QmgrHarness(("maximal_queue_lifetime", "1h"), ("bounce_queue_lifetime", "10m"), ("minimal_backoff_time", "60s"));
        var id = await h.EnqueueAsync(sender, "bob@remote.test", "ok@remote.test");
        h.Smtp.Script = request => request.Recipients.Select(r => new RecipientResult(r.Index,
            r.Address == "ok@remote.test" ? RecipientOutcome.Delivered("2.0.0", "250 2.0.0 Ok") : TryLater, Relay)).ToList();
        h.Start();

        await h.WaitForDeferredAsync(id, 1);
        Assert.Empty(h.Notifier.Notices);
        Assert.DoesNotContain(h.Log.Lines, l => l.Contains("expired"));

        h.Clock.Advance(TimeParse(age));
        await h.WaitForLineAsync($"postfix/qmgr: {id}: removed");
        Assert.Contains($"postfix/qmgr: {id}: from=<{sender}>, status=expired, returned to sender", h.Log.Lines);
        // Tried once more before giving up (Postfix expires after an attempt), the delivered recipient never again.
        Assert.Equal(2, h.Smtp.Calls.Count);
        Assert.Equal(["bob@remote.test"], h.Smtp.Calls[1].Recipients.Select(r => r.Address));
        var returned = Assert.Single(Assert.Single(h.Notifier.Of("bounce")));
        Assert.Equal(("bob@remote.test", RecipientStatus.Bounced, "4.2.0", TryLater.Reason),
            (returned.Address, returned.Outcome.Status, returned.Outcome.Dsn, returned.Outcome.Reason));
    }

    [Fact]
    public async Task OneDelayWarningInTheAttemptDuringWhichTheMessageTurnedDelayWarningTimeOld()
    {
        await using var h = new QmgrHarness(("delay_warning_time", "1h"), ("minimal_backoff_time", "10m"), ("maximal_backoff_time", "10m"));
        var id = await h.EnqueueAsync("alice@here.test", "bob@remote.test");
        h.Smtp.Script = ScriptedAgent.All(TryLater, Relay);
        h.Start();

        // Attempts at 0, 30 min, 70 min and 90 min: only the one at 70 min crosses the one-hour mark.
        int attempts = 1;
        await h.WaitForDeferredAsync(id, attempts);
        foreach (var (minutes, warnings) in new[] { (30, 0), (40, 1), (20, 1) })
        {
            h.Clock.Advance(TimeSpan.FromMinutes(minutes));
            await h.WaitForDeferredAsync(id, ++attempts);
            Assert.Equal(warnings, h.Notifier.Of("delay").Count);
        }
        var delayed = Assert.Single(Assert.Single(h.Notifier.Of("delay")));
        Assert.Equal(("bob@remote.test", RecipientStatus.Deferred), (delayed.Address, delayed.Outcome.Status));
    }

    [Fact]
    public async Task UnknownTransportIsDeferredByTheQueueManager()
    {
        await using var h = new QmgrHarness();
        h.Routes["nowhere.test"] = "bogus";
        var id = await h.EnqueueAsync("alice@here.test", "x@nowhere.test", "y@remote.test");
        h.Start();

        await h.WaitForDeferredAsync(id, 1);
        Assert.Contains($"postfix/qmgr: {id}: to=<x@nowhere.test>, relay=none, delay=0, delays=0/0/0/0, dsn=4.3.0, status=deferred (mail transport unavailable)", h.Log.Lines);
        var message = (await h.GetAsync(id))!;
        Assert.Equal([RecipientStatus.Deferred, RecipientStatus.Delivered], message.Recipients.Select(r => r.Status));
        Assert.Equal("mail transport unavailable", message.Recipients[0].Reason);
    }

    [Fact]
    public async Task UnreachableDestinationIsSuspendedAndFurtherJobsDeferredWithoutAnAttempt()
    {
        await using var h = new QmgrHarness(("smtp_initial_destination_concurrency", "1"), ("qmgr_message_active_limit", "1"));
        var refused = RecipientOutcome.Deferred("4.4.1", "connect to down.test[127.0.0.1]:25: Connection refused");
        h.Smtp.Script = request => request.Nexthop == "down.test"
            ? ScriptedAgent.All(refused, "none")(request)
            : ScriptedAgent.All(RecipientOutcome.Delivered("2.0.0", "250 2.0.0 Ok"), Relay)(request);
        // One message at a time, oldest first: the first finds the destination down, the second finds it suspended.
        var first = await h.EnqueueAsync("alice@here.test", "a@down.test");
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await h.EnqueueAsync("alice@here.test", "b@down.test", "c@remote.test");
        h.Start();

        await h.WaitForDeferredAsync(first, 1);
        await h.WaitForDeferredAsync(second, 1);
        Assert.Single(h.Smtp.Calls, c => c.Nexthop == "down.test");
        Assert.Contains(h.Log.Lines, l => l.StartsWith($"postfix/smtp: {first}: to=<a@down.test>, relay=none, ", StringComparison.Ordinal)
            && l.EndsWith("dsn=4.4.1, status=deferred (connect to down.test[127.0.0.1]:25: Connection refused)", StringComparison.Ordinal));
        Assert.Contains($"postfix/qmgr: {second}: to=<b@down.test>, relay=none, delay=0, delays=0/0/0/0, dsn=4.4.1, status=deferred (delivery temporarily suspended: connect to down.test[127.0.0.1]:25: Connection refused)", h.Log.Lines);
        Assert.Equal(RecipientStatus.Delivered, (await h.GetAsync(second))!.Recipients[1].Status);
    }

    [Fact]
    public async Task SoftBounceKeepsPermanentFailuresDeferred()
    {
        await using var h = new QmgrHarness(("soft_bounce", "yes"));
        h.Smtp.Script = ScriptedAgent.All(RecipientOutcome.Bounced("5.1.1", "host mx said: 550 5.1.1 Unknown"), Relay);
        var id = await h.EnqueueAsync("alice@here.test", "nobody@remote.test");
        h.Start();

        await h.WaitForDeferredAsync(id, 1);
        Assert.Contains($"postfix/smtp: {id}: to=<nobody@remote.test>, relay={Relay}, delay=0, delays=0/0/0/0, dsn=4.1.1, status=SOFTBOUNCE (host mx said: 550 5.1.1 Unknown)", h.Log.Lines);
        Assert.Equal((RecipientStatus.Deferred, "4.1.1"), ((await h.GetAsync(id))!.Recipients[0].Status, (await h.GetAsync(id))!.Recipients[0].Dsn));
        Assert.Empty(h.Notifier.Notices);
    }

    [Fact]
    public async Task UnavailableQueueIsWaitedForThenMailFlows()
    {
        await using var h = new QmgrHarness();
        var flaky = new FlakyQueue(h.Store) { Down = true };
        h.Queue = flaky;
        var id = await h.EnqueueAsync("alice@here.test", "bob@remote.test");
        h.Start();

        await h.WaitForAsync(() => flaky.FailedClaims >= 1, "a failed claim");
        Assert.Contains("postfix/qmgr: warning: queue unavailable: queue store unavailable (test); trying again in 1s", h.Log.Lines);
        flaky.Down = false;
        await h.WaitForLineAsync($"postfix/qmgr: {id}: removed");
    }

    [Fact]
    public async Task LeaseLostMidDeliveryStopsQuietly()
    {
        await using var h = new QmgrHarness(("qmgr_message_active_limit", "1"));
        var agentStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var agentMayFinish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Smtp.During = async (request, _) =>
        {
            if (h.Smtp.Calls.Count > 1) return;
            agentStarted.TrySetResult();
            await agentMayFinish.Task;
        };
        var id = await h.EnqueueAsync("alice@here.test", "bob@remote.test");
        h.Start();

        await agentStarted.Task.WaitAsync(TimeSpan.FromSeconds(5));
        // The lease runs out (no heartbeat yet) and another queue manager takes the message over.
        h.Clock.Advance(TimeSpan.FromSeconds(20));
        var takeover = await h.Store.ClaimNextAsync("other-qmgr", TimeSpan.FromMinutes(5), default);
        Assert.Equal(id, takeover?.Id);
        agentMayFinish.SetResult();

        await h.WaitForAsync(() => h.Log.Lines.Any(l => l.Contains("lease lost")), "the lease-lost warning");
        Assert.Contains(h.Log.Lines, l => l.StartsWith($"postfix/qmgr: warning: {id}: ", StringComparison.Ordinal) && l.Contains("lease lost"));
        Assert.DoesNotContain($"postfix/qmgr: {id}: removed", h.Log.Lines);
        var message = (await h.GetAsync(id))!;
        Assert.Equal(QueueName.Active, message.Queue);
        Assert.Equal(RecipientStatus.Pending, message.Recipients[0].Status);

        // The queue manager goes on: once the new holder hands the message back, it delivers it.
        await h.Store.FinishAsync(takeover!, h.Clock.GetUtcNow(), default);
        await h.WaitForLineAsync($"postfix/qmgr: {id}: removed");
        Assert.Equal(2, h.Smtp.Calls.Count);
    }

    private static TimeSpan TimeParse(string text) => text[^1] switch
    {
        'h' => TimeSpan.FromHours(int.Parse(text[..^1])),
        _ => TimeSpan.FromMinutes(int.Parse(text[..^1])),
    };
}

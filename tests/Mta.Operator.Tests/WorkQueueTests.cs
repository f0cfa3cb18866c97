using Mta.Operator.Controller;

namespace Mta.Operator.Tests;

/// <summary>The keyed work queue's guarantees: dedupe, one worker per key, backoff, requeue-after.</summary>
public sealed class WorkQueueTests
{
    private static WorkQueue NewQueue() => new("test", new ExponentialBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)));

    [Fact]
    public async Task AddsWhileQueuedCollapseIntoOne()
    {
        using var q = NewQueue();
        q.Add("a");
        q.Add("a");
        q.Add("b");
        Assert.Equal(2, q.Depth);
        Assert.Equal("a", await q.TakeAsync(CancellationToken.None));
        Assert.Equal("b", await q.TakeAsync(CancellationToken.None));
        Assert.Equal(0, q.Depth);
    }

    [Fact]
    public async Task KeyBeingProcessedIsNotHandedOutAgainUntilDone()
    {
        using var q = NewQueue();
        q.Add("a");
        var first = await q.TakeAsync(CancellationToken.None);
        q.Add("a"); // changed while a worker holds it
        Assert.Equal(0, q.Depth);
        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => q.TakeAsync(shortWait.Token));
        q.Done(first!);
        Assert.Equal("a", await q.TakeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task RateLimitedRetriesBackOffExponentiallyAndForgetResets()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200));
        Assert.Equal([20, 40, 80, 160, 200, 200], Enumerable.Range(0, 6).Select(_ => (int)backoff.Next("k").TotalMilliseconds));
        backoff.Forget("k");
        Assert.Equal(20, (int)backoff.Next("k").TotalMilliseconds);

        using var q = NewQueue();
        q.Add("a");
        var key = await q.TakeAsync(CancellationToken.None);
        q.AddRateLimited(key!);
        q.Done(key!);
        Assert.Equal(1, q.Failures("a"));
        Assert.Equal("a", await q.TakeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task AddAfterDeliversLater()
    {
        using var q = NewQueue();
        var started = DateTime.UtcNow;
        q.AddAfter("a", TimeSpan.FromMilliseconds(150));
        Assert.Equal(0, q.Depth);
        Assert.Equal("a", await q.TakeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2)));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(140));
    }

    [Fact]
    public async Task EarlierRequeueWinsOverLaterOnes()
    {
        using var q = NewQueue();
        q.AddAfter("a", TimeSpan.FromSeconds(30));
        q.AddAfter("a", TimeSpan.FromMilliseconds(50)); // earlier: scheduled
        q.AddAfter("a", TimeSpan.FromSeconds(30));      // later than a pending one: dropped
        Assert.Equal("a", await q.TakeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task ShutDownReleasesWaitingWorkers()
    {
        using var q = NewQueue();
        var waiting = q.TakeAsync(CancellationToken.None);
        q.ShutDown();
        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(2)));
    }
}

using Mta.Delivery.Qmgr;
using Mta.Queue;
using Mta.Queue.Coordination;

namespace Mta.Delivery.Tests.Qmgr;

public sealed class CoordinationTests
{
    [Fact]
    public async Task InProcessSlotsStopAtTheLimitAndComeBackOnceEach()
    {
        var slots = new InProcessDestinationSlots();
        var first = await slots.TryAcquireAsync("smtp:a.test", 2, default);
        var second = await slots.TryAcquireAsync("smtp:a.test", 2, default);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(await slots.TryAcquireAsync("smtp:a.test", 2, default));
        Assert.NotNull(await slots.TryAcquireAsync("smtp:b.test", 2, default));

        await first!.DisposeAsync();
        await first.DisposeAsync();
        Assert.NotNull(await slots.TryAcquireAsync("smtp:a.test", 2, default));
        Assert.Null(await slots.TryAcquireAsync("smtp:a.test", 2, default));
    }

    [Fact]
    public async Task InProcessSlotsWithLimitZeroNeverRunOut()
    {
        var slots = new InProcessDestinationSlots();
        for (var i = 0; i < 50; i++)
            Assert.NotNull(await slots.TryAcquireAsync("smtp:example.com", 0, default));
    }

    [Fact]
    public async Task InProcessRateDelaySpacesStarts()
    {
        var clock = new ManualClock();
        var slots = new InProcessDestinationSlots(clock);
        var delay = TimeSpan.FromSeconds(10);
        Assert.True(await slots.TryStartRateLimitedAsync("slow:a.test", delay, default));
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(await slots.TryStartRateLimitedAsync("slow:a.test", delay, default));
        Assert.True(await slots.TryStartRateLimitedAsync("slow:b.test", delay, default));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await slots.TryStartRateLimitedAsync("slow:a.test", delay, default));
    }

    [Fact]
    public async Task FileQueueManagerOwnsShardZero()
    {
        await using var h = new QmgrHarness();
        await using var leases = new SingleShardLeases(h.Store);
        await leases.StartAsync(default);
        Assert.Equal([0], leases.Owned);
    }

    [Fact]
    public async Task QueueDepthsAreExported()
    {
        await using var h = new QmgrHarness();
        await h.EnqueueAsync("alice@here.test", "a@remote.test");
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        await h.EnqueueAsync("alice@here.test", "b@remote.test");
        await using var exporter = new QueueMetricsExporter(h.Store, TimeSpan.FromSeconds(15), h.Log, "postfix/qmgr", h.Clock);

        await exporter.ExportOnceAsync(default);
        Assert.Equal(2, QmgrMetrics.QueueMessages.WithLabels("incoming").Value);
        Assert.Equal(30, QmgrMetrics.QueueOldestAge.WithLabels("incoming").Value);
        Assert.Equal(0, QmgrMetrics.QueueMessages.WithLabels("deferred").Value);
    }
}

using Mta.Queue.Coordination;
using Mta.Queue.Redis;
using StackExchange.Redis;

namespace Mta.Queue.Tests.Coordination;

/// <summary>Per-destination concurrency and rate delay counted across delivery processes through Redis.</summary>
public sealed class RedisDestinationSlotsTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<RedisQueueStore> _stores = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores) await store.DisposeAsync();
    }

    /// <summary>One delivery process: its own connection to the shared queue.</summary>
    private async Task<(RedisQueueStore Store, RedisDestinationSlots Slots)> ProcessAsync(TimeSpan lease)
    {
        var store = await RedisQueueStore.OpenAsync(new RedisQueueStoreOptions(redis.Server.Url)
        {
            KeyPrefix = _prefix, Shards = 4, OperationTimeout = TimeSpan.FromSeconds(3),
        });
        _stores.Add(store);
        return (store, new RedisDestinationSlots(store, QueueCoordination.NewHolderName(), lease));
    }

    private async Task<long> SlotsInRedisAsync(string destination)
    {
        await using var inspector = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Server.Port}");
        return await inspector.GetDatabase().SortedSetLengthAsync($"{_prefix}:{{d:{destination}}}:slots");
    }

    [Fact]
    public async Task SlotsNeverExceedTheLimitAcrossThreeProcessesUnderContention()
    {
        const string destination = "smtp:example.com";
        const int limit = 3;
        var processes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ProcessAsync(TimeSpan.FromSeconds(3))));
        int current = 0, highest = 0, deliveries = 0;
        var until = DateTime.UtcNow.AddSeconds(2);

        async Task WorkerAsync(RedisDestinationSlots slots, int seed)
        {
            var random = new Random(seed);
            while (DateTime.UtcNow < until)
            {
                var slot = await slots.TryAcquireAsync(destination, limit, default);
                if (slot is null)
                {
                    await Task.Delay(random.Next(1, 5));
                    continue;
                }
                int now = Interlocked.Increment(ref current);
                int seen;
                while ((seen = Volatile.Read(ref highest)) < now && Interlocked.CompareExchange(ref highest, now, seen) != seen) { }
                await Task.Delay(random.Next(5, 25));
                Interlocked.Decrement(ref current);
                Interlocked.Increment(ref deliveries);
                await slot.DisposeAsync();
            }
        }

        await Task.WhenAll(processes.SelectMany((p, i) => Enumerable.Range(0, 8).Select(w => WorkerAsync(p.Slots, i * 100 + w))));
        Assert.Equal(limit, highest); // reached the limit, never more
        Assert.True(deliveries > 20, $"only {deliveries} deliveries ran");
        Assert.Equal(0, await SlotsInRedisAsync(destination)); // every slot given back
    }

    [Fact]
    public async Task HeldSlotIsRenewedPastItsLease()
    {
        var (_, first) = await ProcessAsync(TimeSpan.FromSeconds(1));
        var (_, second) = await ProcessAsync(TimeSpan.FromSeconds(1));
        var slot = await first.TryAcquireAsync("smtp:slow.example", 1, default);
        Assert.NotNull(slot);
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // 2.5 leases: only the heartbeat keeps it
        Assert.Null(await second.TryAcquireAsync("smtp:slow.example", 1, default));
        await slot.DisposeAsync();
        await using var next = await second.TryAcquireAsync("smtp:slow.example", 1, default);
        Assert.NotNull(next);
        Assert.Equal(0, first.HeldCount);
    }

    [Fact]
    public async Task SlotOfAProcessThatStopsRenewingFreesItselfAfterTheLease()
    {
        var lease = TimeSpan.FromSeconds(1);
        var (deadStore, dying) = await ProcessAsync(lease);
        var (_, survivor) = await ProcessAsync(lease);
        Assert.NotNull(await dying.TryAcquireAsync("smtp:example.net", 1, default));
        Assert.Null(await survivor.TryAcquireAsync("smtp:example.net", 1, default));
        await deadStore.DisposeAsync(); // killed: no more heartbeats, no release
        IAsyncDisposable? slot = null;
        var took = await Eventually.HoldsAsync(async () =>
        {
            slot ??= await survivor.TryAcquireAsync("smtp:example.net", 1, default);
            return slot is not null;
        }, TimeSpan.FromSeconds(4), "the dead process's slot frees itself");
        Assert.True(took <= lease + TimeSpan.FromMilliseconds(500), $"slot came back after {took}");
        await slot!.DisposeAsync();
    }

    [Fact]
    public async Task SlotsOfDifferentDestinationsAreCountedApart()
    {
        var (_, slots) = await ProcessAsync(TimeSpan.FromSeconds(2));
        await using var a = await slots.TryAcquireAsync("smtp:a.example", 1, default);
        await using var b = await slots.TryAcquireAsync("smtp:b.example", 1, default);
        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Null(await slots.TryAcquireAsync("smtp:a.example", 1, default));
    }

    [Fact]
    public async Task LimitZeroMeansNoLimit()
    {
        var (_, slots) = await ProcessAsync(TimeSpan.FromSeconds(2));
        for (int i = 0; i < 5; i++) Assert.NotNull(await slots.TryAcquireAsync("smtp:any.example", 0, default));
        Assert.Equal(0, await SlotsInRedisAsync("smtp:any.example"));
    }

    [Fact]
    public async Task RateDelaySpacesStartsAcrossProcesses()
    {
        var (_, first) = await ProcessAsync(TimeSpan.FromSeconds(2));
        var (_, second) = await ProcessAsync(TimeSpan.FromSeconds(2));
        var delay = TimeSpan.FromMilliseconds(700);
        var started = DateTime.UtcNow;
        Assert.True(await first.TryStartRateLimitedAsync("smtp:paced.example", delay, default));
        Assert.False(await second.TryStartRateLimitedAsync("smtp:paced.example", delay, default));
        Assert.False(await first.TryStartRateLimitedAsync("smtp:paced.example", delay, default));
        Assert.True(await second.TryStartRateLimitedAsync("smtp:other.example", delay, default));
        var waited = await Eventually.HoldsAsync(
            async () => await second.TryStartRateLimitedAsync("smtp:paced.example", delay, default),
            TimeSpan.FromSeconds(3), "next start allowed after the delay");
        Assert.True(DateTime.UtcNow - started >= delay - TimeSpan.FromMilliseconds(50), $"started again after {DateTime.UtcNow - started}");
        Assert.True(waited < delay + TimeSpan.FromMilliseconds(500), $"waited {waited}");
        Assert.True(await first.TryStartRateLimitedAsync("smtp:paced.example", TimeSpan.Zero, default)); // no delay: always
    }
}

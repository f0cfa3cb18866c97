using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Mta.Queue.Tests;

/// <summary>
/// The behaviour every queue store must have. Each store gets a subclass that says how to open it;
/// the scheduler relies on exactly these properties, whatever store it runs on.
/// </summary>
public abstract class QueueStoreContract : IAsyncLifetime
{
    protected static readonly TimeSpan LongLease = TimeSpan.FromMinutes(5);
    private readonly List<IMailQueue> _opened = [];

    /// <summary>Opens a store instance on the shared test queue (a second call simulates a second pod or process).</summary>
    protected abstract Task<IMailQueue> OpenStoreAsync();

    /// <summary>How many storage objects (files, keys) exist outside committed messages: temp files, orphan bodies.</summary>
    protected abstract Task<int> CountLeftoversAsync();

    protected IMailQueue Store { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Store = await OpenAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
    }

    protected async Task<IMailQueue> OpenAsync()
    {
        var store = await OpenStoreAsync();
        _opened.Add(store);
        return store;
    }

    protected static Envelope SampleEnvelope(params string[] recipients) => new(
        "sender@example.org",
        recipients.Length == 0
            ? [new Recipient("rcpt@example.com", "Rcpt@Example.com", "rfc822;Rcpt@Example.com", DsnNotify.Success | DsnNotify.Failure)]
            : recipients.Select(r => new Recipient(r)).ToArray(),
        new DateTimeOffset(2026, 11, 25, 22, 0, 0, TimeSpan.Zero),
        DsnRet.Hdrs, "envid-42", "client.example[192.0.2.1]", Smtputf8: true, Body8Bit: true);

    protected static async Task<QueueId> EnqueueAsync(IMailQueue store, byte[] body, Envelope envelope)
    {
        var id = store.NewQueueId();
        await using var writer = await store.BeginMessageAsync(id, default);
        await writer.WriteAsync(body.AsMemory(0, body.Length / 2), default);
        await writer.WriteAsync(body.AsMemory(body.Length / 2), default);
        await writer.CommitAsync(envelope, default);
        return id;
    }

    protected Task<QueueId> EnqueueAsync(params string[] recipients) =>
        EnqueueAsync(Store, Encoding.UTF8.GetBytes("Subject: hi\r\n\r\nbody\r\n"), SampleEnvelope(recipients));

    protected static async Task<byte[]> ReadBodyAsync(IMailQueue store, QueueId id)
    {
        await using var stream = await store.OpenBodyAsync(id, default);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected async Task<long> DepthAsync(QueueName queue) =>
        (await Store.GetDepthsAsync(default)).Single(d => d.Queue == queue).Messages;

    [Fact]
    public async Task CommittedMessageIsVisibleWithTheSameBytesAndEnvelope()
    {
        var body = Encoding.UTF8.GetBytes("Received: by x\r\nSubject: caf\u00e9\r\n\r\n..dot\r\nline\r\n").Concat(new byte[] { 0xff, 0x00, 13, 10 }).ToArray();
        var envelope = SampleEnvelope();
        var id = await EnqueueAsync(Store, body, envelope);

        var message = await Store.GetAsync(id, default);
        Assert.NotNull(message);
        Assert.Equal(QueueName.Incoming, message.Queue);
        Assert.Equal(body.Length, message.Size);
        Assert.Equal(body, await ReadBodyAsync(Store, id));
        var stored = message.Envelope;
        Assert.Equal(envelope with { Recipients = stored.Recipients }, stored);
        Assert.Equal(envelope.Recipients, stored.Recipients);
        Assert.All(message.Recipients, r => Assert.Equal(RecipientStatus.Pending, r.Status));

        var listed = await Store.ListAsync(QueueName.Incoming, default).ToListAsync();
        Assert.Equal(id, Assert.Single(listed).Id);
    }

    [Fact]
    public async Task UncommittedWriterIsInvisibleAndLeavesNothing()
    {
        var id = Store.NewQueueId();
        await using (var writer = await Store.BeginMessageAsync(id, default))
        {
            await writer.WriteAsync(new byte[1000], default);
            Assert.Equal(1000, writer.Length);
        }
        Assert.Null(await Store.GetAsync(id, default));
        Assert.Empty(await Store.ListAsync(null, default).ToListAsync());
        Assert.Null(await Store.ClaimNextAsync("qmgr", LongLease, default));
        Assert.Equal(0, await CountLeftoversAsync());
    }

    [Fact]
    public async Task IdsAreUniqueAcrossStoresUnderConcurrency()
    {
        // Three instances stand for three pods (or smtpd, sendmail and postsuper on one host).
        IMailQueue[] stores = [Store, await OpenAsync(), await OpenAsync()];
        var ids = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 9).Select(n => Task.Run(() =>
        {
            var store = stores[n % 3];
            for (int i = 0; i < 30_000; i++) ids.Add(store.NewQueueId().Value);
        })));
        Assert.Equal(270_000, ids.Distinct().Count());
        var logPattern = new Regex("^" + QueueId.Pattern + "$");
        var alphanumeric = new Regex("^[0-9A-Za-z]+$");
        Assert.All(ids.Take(1000), id => Assert.Matches(logPattern, id));
        Assert.All(ids.Take(1000), id => Assert.Matches(alphanumeric, id));
        // IDs from different instances also commit side by side.
        await EnqueueAsync(stores[1], [1, 2, 3], SampleEnvelope());
        await EnqueueAsync();
        Assert.Equal(2, await DepthAsync(QueueName.Incoming));
    }

    [Fact]
    public async Task EachMessageIsClaimedByOneConsumerOnly()
    {
        var expected = new HashSet<QueueId>();
        for (int i = 0; i < 6; i++) expected.Add(await EnqueueAsync());
        var second = await OpenAsync();
        var claimed = new ConcurrentBag<QueueId>();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(n => Task.Run(async () =>
        {
            var store = n % 2 == 0 ? Store : second;
            while (await store.ClaimNextAsync($"consumer{n}", LongLease, default) is { } lease) claimed.Add(lease.Id);
        })));
        Assert.Equal(6, claimed.Count);
        Assert.True(expected.SetEquals(claimed));
        Assert.Equal(6, await DepthAsync(QueueName.Active));
    }

    [Fact]
    public async Task ExpiredLeaseIsTakenOverAndTheStaleHolderIsFencedOff()
    {
        var id = await EnqueueAsync("a@example.com", "b@example.com");
        // Long enough that a loaded machine still asks the peer before the lease runs out.
        var stale = await Store.ClaimNextAsync("crashed", TimeSpan.FromMilliseconds(1500), default);
        Assert.NotNull(stale);
        var peer = await OpenAsync();
        Assert.Null(await peer.ClaimNextAsync("peer", LongLease, default));

        await Task.Delay(1700);
        var current = await peer.ClaimNextAsync("peer", LongLease, default);
        Assert.NotNull(current);
        Assert.Equal(id, current.Id);
        Assert.True(current.Token > stale.Token);

        await Assert.ThrowsAsync<LeaseLostException>(async () =>
            await Store.RecordOutcomeAsync(stale, 0, RecipientOutcome.Delivered("2.0.0", "250 ok"), default));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await Store.RenewAsync(stale, LongLease, default));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await Store.FinishAsync(stale, DateTimeOffset.UtcNow, default));
        Assert.Equal(OutcomeResult.Recorded, await peer.RecordOutcomeAsync(current, 0, RecipientOutcome.Delivered("2.0.0", "250 ok"), default));
        var renewed = await peer.RenewAsync(current, LongLease, default);
        Assert.Equal(current.Token, renewed.Token);
    }

    [Fact]
    public async Task RecipientOutcomeIsRecordedOnceAndFinishedMailIsRemoved()
    {
        var id = await EnqueueAsync("a@example.com", "b@example.com");
        var lease = (await Store.ClaimNextAsync("qmgr", LongLease, default))!;
        Assert.Equal(OutcomeResult.Recorded, await Store.RecordOutcomeAsync(lease, 0, RecipientOutcome.Delivered("2.0.0", "250 2.0.0 Ok"), default));
        Assert.Equal(OutcomeResult.AlreadyFinal, await Store.RecordOutcomeAsync(lease, 0, RecipientOutcome.Bounced("5.1.1", "550 no"), default));
        Assert.Equal(OutcomeResult.Recorded, await Store.RecordOutcomeAsync(lease, 1, RecipientOutcome.Bounced("5.1.1", "550 5.1.1 unknown"), default));

        var message = (await Store.GetAsync(id, default))!;
        Assert.Equal(QueueName.Active, message.Queue);
        Assert.Equal(new[] { RecipientStatus.Delivered, RecipientStatus.Bounced }, message.Recipients.Select(r => r.Status));
        Assert.Equal("250 2.0.0 Ok", message.Recipients[0].Reason);
        Assert.Equal("5.1.1", message.Recipients[1].Dsn);

        Assert.Null(await Store.FinishAsync(lease, DateTimeOffset.UtcNow, default));
        Assert.Null(await Store.GetAsync(id, default));
        await Assert.ThrowsAnyAsync<IOException>(async () => await Store.OpenBodyAsync(id, default));
        Assert.Equal(0, await CountLeftoversAsync());
    }

    [Fact]
    public async Task DeferredMailWaitsForItsTimeAndKeepsFinalRecipients()
    {
        var id = await EnqueueAsync("a@example.com", "b@example.com");
        var lease = (await Store.ClaimNextAsync("qmgr", LongLease, default))!;
        await Store.RecordOutcomeAsync(lease, 0, RecipientOutcome.Delivered("2.0.0", "250 ok"), default);
        await Store.RecordOutcomeAsync(lease, 1, RecipientOutcome.Deferred("4.4.1", "connect to mx.example.com[192.0.2.9]:25: Connection refused"), default);
        Assert.Equal(QueueName.Deferred, await Store.FinishAsync(lease, DateTimeOffset.UtcNow.AddSeconds(1), default));

        Assert.Null(await Store.ClaimNextAsync("qmgr", LongLease, default));
        var deferred = Assert.Single(await Store.ListAsync(QueueName.Deferred, default).ToListAsync());
        Assert.Equal("connect to mx.example.com[192.0.2.9]:25: Connection refused", deferred.Recipients[1].Reason);
        Assert.Equal(1, deferred.Attempts);
        Assert.NotNull(deferred.NotBefore);

        await Task.Delay(1100);
        var again = await Store.ClaimNextAsync("qmgr", LongLease, default);
        Assert.NotNull(again);
        Assert.Equal(id, again.Id);
        Assert.True(again.Token > lease.Token);
        Assert.Equal(OutcomeResult.AlreadyFinal, await Store.RecordOutcomeAsync(again, 0, RecipientOutcome.Delivered("2.0.0", "250 ok"), default));
        Assert.Equal(OutcomeResult.Recorded, await Store.RecordOutcomeAsync(again, 1, RecipientOutcome.Delivered("2.0.0", "250 ok"), default));
        Assert.Null(await Store.FinishAsync(again, DateTimeOffset.UtcNow, default));
        Assert.Equal(0, (await Store.GetDepthsAsync(default)).Sum(d => d.Messages));
    }

    [Fact]
    public async Task HeldMailIsNeverClaimedUntilReleased()
    {
        var id = await EnqueueAsync();
        Assert.True(await Store.HoldAsync(id, default));
        Assert.False(await Store.HoldAsync(id, default));
        Assert.Null(await Store.ClaimNextAsync("qmgr", LongLease, default));
        Assert.Equal(QueueName.Hold, (await Store.GetAsync(id, default))!.Queue);
        Assert.Equal(1, await DepthAsync(QueueName.Hold));

        Assert.True(await Store.ReleaseAsync(id, default));
        Assert.False(await Store.ReleaseAsync(id, default));
        var lease = await Store.ClaimNextAsync("qmgr", LongLease, default);
        Assert.Equal(id, lease?.Id);

        // Holding active mail revokes the lease: the holder's writes are refused.
        Assert.True(await Store.HoldAsync(id, default));
        await Assert.ThrowsAsync<LeaseLostException>(async () =>
            await Store.RecordOutcomeAsync(lease!, 0, RecipientOutcome.Delivered("2.0.0", "250 ok"), default));
    }

    [Fact]
    public async Task MailCommittedToHoldIsKeptButNeverClaimedUntilReleased()
    {
        var id = Store.NewQueueId();
        await using (var writer = await Store.BeginMessageAsync(id, default))
        {
            await writer.WriteAsync(Encoding.UTF8.GetBytes("Subject: held\r\n\r\nbody\r\n"), default);
            await writer.CommitToHoldAsync(SampleEnvelope("a@example.com"), default);
        }
        Assert.Null(await Store.ClaimNextAsync("qmgr", LongLease, default));
        Assert.Equal(QueueName.Hold, (await Store.GetAsync(id, default))!.Queue);
        Assert.Equal(1, await DepthAsync(QueueName.Hold));
        Assert.Equal(0, await DepthAsync(QueueName.Incoming));

        Assert.True(await Store.ReleaseAsync(id, default));
        Assert.Equal(id, (await Store.ClaimNextAsync("qmgr", LongLease, default))?.Id);
        Assert.Equal("Subject: held\r\n\r\nbody\r\n", Encoding.UTF8.GetString(await ReadBodyAsync(Store, id)));
    }

    [Fact]
    public async Task ManyDeliveriesRecordRenewAndFinishSideBySide()
    {
        var ids = new List<QueueId>();
        for (var i = 0; i < 12; i++) ids.Add(await EnqueueAsync("a@example.com", "b@example.com"));
        var leases = new List<MessageLease>();
        while (await Store.ClaimNextAsync("qmgr", LongLease, default) is { } lease) leases.Add(lease);
        Assert.Equal(ids.Select(i => i.Value).Order(), leases.Select(l => l.Id.Value).Order());

        // Per message: a heartbeat renewing while both outcomes are recorded, then the finish; all messages at once.
        await Task.WhenAll(leases.Select(async lease =>
        {
            var renew = Task.Run(async () => { for (var i = 0; i < 3; i++) await Store.RenewAsync(lease, LongLease, default); });
            await Task.WhenAll(renew,
                Store.RecordOutcomeAsync(lease, 0, RecipientOutcome.Delivered("2.0.0", "250 ok"), default).AsTask(),
                Store.RecordOutcomeAsync(lease, 1, RecipientOutcome.Bounced("5.1.1", "550 unknown"), default).AsTask());
            Assert.Null(await Store.FinishAsync(lease, DateTimeOffset.UtcNow, default));
        }));
        Assert.Empty(await Store.ListAsync(null, default).ToListAsync());
    }

    [Fact]
    public async Task DeleteRemovesMessageAndBody()
    {
        var id = await EnqueueAsync();
        var keep = await EnqueueAsync();
        Assert.True(await Store.DeleteAsync(id, default));
        Assert.False(await Store.DeleteAsync(id, default));
        Assert.Null(await Store.GetAsync(id, default));
        await Assert.ThrowsAnyAsync<IOException>(async () => await Store.OpenBodyAsync(id, default));
        Assert.NotNull(await Store.GetAsync(keep, default));
        Assert.Equal(1, await DepthAsync(QueueName.Incoming));
    }

    [Fact]
    public async Task RequeueAndFlushMakeDeferredMailReadyNow()
    {
        var first = await EnqueueAsync();
        var second = await EnqueueAsync();
        foreach (var _ in new[] { first, second })
        {
            var lease = (await Store.ClaimNextAsync("qmgr", LongLease, default))!;
            await Store.RecordOutcomeAsync(lease, 0, RecipientOutcome.Deferred("4.4.1", "later"), default);
            await Store.FinishAsync(lease, DateTimeOffset.UtcNow.AddHours(1), default);
        }
        Assert.Null(await Store.ClaimNextAsync("qmgr", LongLease, default));

        Assert.True(await Store.RequeueAsync(first, default));
        Assert.Equal(QueueName.Incoming, (await Store.GetAsync(first, default))!.Queue);
        Assert.Equal(first, (await Store.ClaimNextAsync("qmgr", LongLease, default))?.Id);

        Assert.Equal(1, await Store.FlushAsync(default));
        Assert.Equal(second, (await Store.ClaimNextAsync("qmgr", LongLease, default))?.Id);
    }

    [Fact]
    public async Task DepthsCountEachQueueWithItsOldestArrival()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var arrivals = new Dictionary<QueueId, DateTimeOffset>();
        for (int hours = 1; hours <= 3; hours++)
        {
            var envelope = SampleEnvelope() with { ArrivalTime = now.AddHours(-hours) };
            arrivals[await EnqueueAsync(Store, [1, 2, 3], envelope)] = envelope.ArrivalTime;
        }
        var claimed = (await Store.ClaimNextAsync("qmgr", LongLease, default))!.Id;
        var depths = (await Store.GetDepthsAsync(default)).ToDictionary(d => d.Queue);
        Assert.Equal(5, depths.Count);
        Assert.Equal(2, depths[QueueName.Incoming].Messages);
        Assert.Equal(1, depths[QueueName.Active].Messages);
        Assert.Equal(0, depths[QueueName.Deferred].Messages);
        Assert.Null(depths[QueueName.Deferred].OldestArrival);
        Assert.Equal(arrivals[claimed], depths[QueueName.Active].OldestArrival);
        Assert.Equal(arrivals.Where(a => a.Key != claimed).Min(a => a.Value), depths[QueueName.Incoming].OldestArrival);
    }

    [Fact]
    public async Task HeartbeatKeepsTheLeaseAndReportsItsLoss()
    {
        var id = await EnqueueAsync();
        var lease = TimeSpan.FromMilliseconds(600);
        await using var heartbeat = new LeaseHeartbeat(Store, (await Store.ClaimNextAsync("qmgr", lease, default))!, lease);
        await Task.Delay(1000);
        var peer = await OpenAsync();
        Assert.Null(await peer.ClaimNextAsync("peer", lease, default));
        Assert.False(heartbeat.Lost.IsCancellationRequested);

        Assert.True(await peer.HoldAsync(id, default));
        var lost = new TaskCompletionSource();
        await using var registration = heartbeat.Lost.Register(() => lost.TrySetResult());
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task ClaimsCanBeLimitedToShards()
    {
        var ids = new List<QueueId>();
        for (int i = 0; i < 12; i++) ids.Add(await EnqueueAsync());
        int shards = Store.ShardCount;
        Assert.True(shards >= 1);
        var mine = new[] { Store.ShardOf(ids[0]) };
        var claimed = new List<QueueId>();
        while (await Store.ClaimNextAsync("qmgr", LongLease, mine, default) is { } lease) claimed.Add(lease.Id);
        Assert.Equal(ids.Where(id => Store.ShardOf(id) == mine[0]).OrderBy(i => i.Value), claimed.OrderBy(i => i.Value));
        Assert.Null(await Store.ClaimNextAsync("qmgr", LongLease, Array.Empty<int>(), default));
        Assert.Equal(12 - claimed.Count, await DepthAsync(QueueName.Incoming));
    }
}

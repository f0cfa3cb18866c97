using System.Collections.Concurrent;
using System.Security.Cryptography;
using Mta.Queue.Redis;
using StackExchange.Redis;

namespace Mta.Queue.Tests;

/// <summary>
/// Redis dies under the store (SIGKILL) and comes back from its AOF: nothing acknowledged is lost,
/// nothing half-written appears. Each test owns its redis-server because it kills it.
/// </summary>
public sealed class RedisCrashTests : IAsyncLifetime
{
    private RedisServer _server = null!;
    private RedisQueueStore _store = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _store = await RedisQueueStore.OpenAsync(new RedisQueueStoreOptions(_server.Url) { Shards = 4, OperationTimeout = TimeSpan.FromSeconds(2) });
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static Envelope Envelope(string rcpt) => new("s@example.org", [new Recipient(rcpt)], DateTimeOffset.UtcNow);

    private async Task<QueueId> EnqueueAsync(byte[] body, string rcpt = "r@example.com")
    {
        var id = _store.NewQueueId();
        await using var writer = await _store.BeginMessageAsync(id, default);
        await writer.WriteAsync(body, default);
        await writer.CommitAsync(Envelope(rcpt), default);
        return id;
    }

    /// <summary>After a restart the multiplexer reconnects on its own; wait until the store answers again.</summary>
    private async Task WaitUntilStoreAnswersAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                await _store.GetDepthsAsync(default);
                return;
            }
            catch (QueueUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Every key of the run: message hashes, bodies and index entries must all agree (no half message).</summary>
    private async Task AssertNoHalfMessagesAsync()
    {
        await using var inspector = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_server.Port}");
        var server = inspector.GetServer(inspector.GetEndPoints()[0]);
        var db = inspector.GetDatabase();
        var keys = new HashSet<string>();
        await foreach (var key in server.KeysAsync(pattern: "mta:*")) keys.Add(key!);
        foreach (var key in keys.Where(k => k.Contains(":m:", StringComparison.Ordinal)))
        {
            Assert.Contains(key.Replace(":m:", ":b:"), keys);
            Assert.True(await db.HashExistsAsync(key, "env"), key);
        }
        foreach (var key in keys.Where(k => k.Contains(":b:", StringComparison.Ordinal)))
            Assert.Contains(key.Replace(":b:", ":m:"), keys);
        var listed = await _store.ListAsync(null, default).Select(m => m.Id.Value).ToListAsync();
        Assert.Equal(keys.Count(k => k.Contains(":m:", StringComparison.Ordinal)), listed.Count);
    }

    [Fact]
    public async Task RedisKilledBeforeCommitGivesUnavailableAndNoMessage()
    {
        var id = _store.NewQueueId();
        await using var writer = await _store.BeginMessageAsync(id, default);
        await writer.WriteAsync(new byte[4096], default);
        _server.Kill();
        await Assert.ThrowsAsync<QueueUnavailableException>(async () => await writer.CommitAsync(Envelope("r@example.com"), default));

        await _server.StartProcessAsync();
        await WaitUntilStoreAnswersAsync();
        Assert.Null(await _store.GetAsync(id, default));
        await AssertNoHalfMessagesAsync();
        // The same store takes mail again once Redis is back.
        var next = await EnqueueAsync([1, 2, 3]);
        Assert.NotNull(await _store.GetAsync(next, default));
    }

    [Fact]
    public async Task RedisKilledDuringEnqueuesKeepsEveryAcknowledgedMessageWhole()
    {
        var acknowledged = new ConcurrentDictionary<QueueId, byte[]>();
        int failures = 0;
        using var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var body = RandomNumberGenerator.GetBytes(2000 + n * 100);
                try
                {
                    acknowledged[await EnqueueAsync(body, $"r{n}@example.com")] = body;
                }
                catch (QueueUnavailableException)
                {
                    Interlocked.Increment(ref failures);
                    await Task.Delay(10);
                }
            }
        })).ToArray();
        while (acknowledged.Count < 50) await Task.Delay(5);
        _server.Kill();
        await Task.Delay(200);
        stop.Cancel();
        await Task.WhenAll(senders);
        Assert.True(failures > 0, "the kill should have failed some enqueues");

        await _server.StartProcessAsync();
        await WaitUntilStoreAnswersAsync();
        foreach (var (id, body) in acknowledged)
        {
            Assert.NotNull(await _store.GetAsync(id, default));
            await using var stream = await _store.OpenBodyAsync(id, default);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(body, copy.ToArray());
        }
        await AssertNoHalfMessagesAsync();
    }

    [Fact]
    public async Task QueueStateSurvivesAKill9Restart()
    {
        var delivered = await EnqueueAsync([1]);
        var waiting = await EnqueueAsync([2]);
        var held = await EnqueueAsync([3]);
        await _store.HoldAsync(held, default);
        var lease = (await _store.ClaimNextAsync("qmgr", TimeSpan.FromMinutes(5), default))!;
        var other = lease.Id == delivered ? waiting : delivered;
        await _store.RecordOutcomeAsync(lease, 0, RecipientOutcome.Deferred("4.4.1", "try later"), default);
        await _store.FinishAsync(lease, DateTimeOffset.UtcNow.AddHours(1), default);

        await _server.RestartAsync();
        await WaitUntilStoreAnswersAsync();

        var deferred = (await _store.GetAsync(lease.Id, default))!;
        Assert.Equal(QueueName.Deferred, deferred.Queue);
        Assert.Equal("try later", deferred.Recipients[0].Reason);
        Assert.Equal(QueueName.Incoming, (await _store.GetAsync(other, default))!.Queue);
        Assert.Equal(QueueName.Hold, (await _store.GetAsync(held, default))!.Queue);
        var next = (await _store.ClaimNextAsync("qmgr", TimeSpan.FromMinutes(5), default))!;
        Assert.Equal(other, next.Id);
        Assert.Null(await _store.ClaimNextAsync("qmgr", TimeSpan.FromMinutes(5), default));
    }
}

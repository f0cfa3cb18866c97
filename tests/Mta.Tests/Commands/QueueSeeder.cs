using System.Text;
using Mta.Queue;

namespace Mta.Tests.Commands;

/// <summary>
/// Puts messages into a real queue store through its public API, one at a time so each ends in the state asked for:
/// incoming (committed), active (claimed and left under a lease), deferred (claimed, outcomes recorded, finished
/// with a retry time in the future) or hold. Arrival times are chosen by the test.
/// </summary>
internal sealed class QueueSeeder(QueueStoreSettings settings) : IAsyncDisposable
{
    private IMailQueue? _store;

    public async Task<IMailQueue> StoreAsync() => _store ??= await QueueStoreFactory.OpenAsync(settings);

    /// <summary>Commits a message with a body of <paramref name="size"/> bytes; it is then in incoming.</summary>
    public async Task<QueueId> IncomingAsync(string sender, string[] recipients, DateTimeOffset arrival, int size = 300)
    {
        var store = await StoreAsync();
        var id = store.NewQueueId();
        await using var writer = await store.BeginMessageAsync(id, CancellationToken.None);
        var header = "Subject: seeded\r\n\r\n";
        var body = header + new string('x', Math.Max(0, size - header.Length - 2)) + "\r\n";
        await writer.WriteAsync(Encoding.ASCII.GetBytes(body), CancellationToken.None);
        await writer.CommitAsync(new Envelope(sender, recipients.Select(r => new Recipient(r)).ToList(), arrival), CancellationToken.None);
        return id;
    }

    /// <summary>A message claimed by a queue manager that has not finished with it (mailq marks it "*").</summary>
    public async Task<QueueId> ActiveAsync(string sender, string[] recipients, DateTimeOffset arrival, int size = 300)
    {
        var id = await IncomingAsync(sender, recipients, arrival, size);
        var lease = await ClaimAsync(id);
        Assert.Equal(id, lease.Id);
        return id;
    }

    /// <summary>
    /// A message tried once: each recipient gets the outcome given for it (null leaves that recipient pending),
    /// then the message waits in deferred for an hour.
    /// </summary>
    public async Task<QueueId> DeferredAsync(string sender, string[] recipients, RecipientOutcome?[] outcomes, DateTimeOffset arrival, int size = 300)
    {
        var store = await StoreAsync();
        var id = await IncomingAsync(sender, recipients, arrival, size);
        var lease = await ClaimAsync(id);
        for (var i = 0; i < outcomes.Length; i++)
            if (outcomes[i] is { } outcome)
                await store.RecordOutcomeAsync(lease, i, outcome, CancellationToken.None);
        Assert.Equal(QueueName.Deferred, await store.FinishAsync(lease, DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None));
        return id;
    }

    /// <summary>A message put on hold straight from incoming (mailq marks it "!").</summary>
    public async Task<QueueId> HoldAsync(string sender, string[] recipients, DateTimeOffset arrival, int size = 300)
    {
        var id = await IncomingAsync(sender, recipients, arrival, size);
        Assert.True(await (await StoreAsync()).HoldAsync(id, CancellationToken.None));
        return id;
    }

    public async Task<QueuedMessage?> GetAsync(QueueId id) => await (await StoreAsync()).GetAsync(id, CancellationToken.None);

    private async Task<MessageLease> ClaimAsync(QueueId id)
    {
        var lease = await (await StoreAsync()).ClaimNextAsync("seeder", TimeSpan.FromHours(1), CancellationToken.None);
        Assert.NotNull(lease);
        Assert.Equal(id, lease.Id);
        return lease;
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
    }
}

using Mta.Queue.File;
using Mta.Queue.Redis;

namespace Mta.Queue.Tests;

public sealed class QueueStoreFactoryTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task FileBackendOpensTheQueueDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("mta-queue-").FullName;
        try
        {
            await using var store = await QueueStoreFactory.OpenAsync(new QueueStoreSettings("file", directory, ""));
            Assert.IsType<FileQueueStore>(store);
            Assert.True(Directory.Exists(Path.Combine(directory, "incoming")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task RedisBackendUsesRedisUrlAndItsOptions()
    {
        string url = fixture.Server.Url + "?shards=2&prefix=factory" + Guid.NewGuid().ToString("N")[..6];
        await using var store = await QueueStoreFactory.OpenAsync(new QueueStoreSettings("redis", "/nonexistent", url));
        Assert.IsType<RedisQueueStore>(store);
        var id = store.NewQueueId();
        await using var writer = await store.BeginMessageAsync(id, default);
        await writer.WriteAsync(new byte[] { 65 }, default);
        await writer.CommitAsync(new Envelope("", [new Recipient("postmaster@example.com")], DateTimeOffset.UtcNow), default);
        Assert.Equal(QueueName.Incoming, (await store.GetAsync(id, default))?.Queue);
    }

    [Theory]
    [InlineData("maildir", "/tmp", "")]
    [InlineData("redis", "/tmp", "")]
    [InlineData("file", "", "")]
    public async Task BadSettingsAreConfigurationErrors(string backend, string directory, string url) =>
        await Assert.ThrowsAsync<FormatException>(() => QueueStoreFactory.OpenAsync(new QueueStoreSettings(backend, directory, url)));
}

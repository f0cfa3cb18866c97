using System.Net;
using System.Net.Sockets;
using Mta.Config.Tables;
using Mta.Queue.Redis;
using StackExchange.Redis;

namespace Mta.Queue.Tests.Coordination;

/// <summary>redis:NAME lookup tables: what pods read aliases and maps from, loaded in one atomic step.</summary>
public sealed class RedisTablesTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private readonly string _url = redis.Server.Url + "?prefix=t" + Guid.NewGuid().ToString("N")[..8];

    private (LookupTableFactory Factory, IAsyncDisposable Connection) Factory()
    {
        var factory = new LookupTableFactory();
        return (factory, RedisTables.Register(factory, _url));
    }

    [Fact]
    public async Task LookupsFindLoadedEntriesWithKeysFoldedToLowerCase()
    {
        Assert.Equal(2, await RedisTables.LoadAsync(_url, "aliases", [("Postmaster", "root"), ("info", "alice@example.com, bob@example.com"), ("INFO", "ignored duplicate")]));
        var (factory, connection) = Factory();
        await using var _ = connection;
        var table = factory.Open("redis:aliases");
        Assert.Equal("redis:aliases", table.Reference);
        Assert.True(table.IsFixed);
        Assert.Equal("root", await table.LookupAsync("POSTMASTER"));
        Assert.Equal("alice@example.com, bob@example.com", await table.LookupAsync("info"));
        Assert.Null(await table.LookupAsync("nobody"));
        Assert.Null(await factory.Open("redis:other").LookupAsync("info")); // tables are apart
        Assert.Contains("redis", factory.Types);
    }

    [Fact]
    public async Task ReloadReplacesTheWholeTableAtomically()
    {
        // Version 1 and version 2 share "anchor" and differ in every other key; a reader must never find the
        // anchor missing (table half-written) nor see a mix after the reload.
        var v1 = Enumerable.Range(0, 5000).Select(i => ($"old{i}", "1")).Append(("anchor", "1")).ToList();
        var v2 = Enumerable.Range(0, 5000).Select(i => ($"new{i}", "2")).Append(("anchor", "2")).ToList();
        await RedisTables.LoadAsync(_url, "virtual", v1);
        var (factory, connection) = Factory();
        await using var _ = connection;
        var table = factory.Open("redis:virtual");

        using var stop = new CancellationTokenSource();
        int reads = 0;
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                string? anchor = await table.LookupAsync("anchor");
                Assert.True(anchor is "1" or "2", $"anchor read as {anchor ?? "missing"}");
                if (anchor == "2") Assert.Null(await table.LookupAsync("old4999"));
                reads++;
            }
        });
        await RedisTables.LoadAsync(_url, "virtual", v2);
        await Task.Delay(100);
        await stop.CancelAsync();
        await reader;
        Assert.True(reads > 0);
        Assert.Equal("2", await table.LookupAsync("anchor"));
        Assert.Equal("2", await table.LookupAsync("new4999"));
        Assert.Null(await table.LookupAsync("old0"));

        // The table has no expiry and no temporary hash is left behind.
        await using var inspector = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Server.Port}");
        var prefix = _url[(_url.IndexOf("prefix=", StringComparison.Ordinal) + 7)..];
        Assert.Null(await inspector.GetDatabase().KeyTimeToLiveAsync($"{prefix}:table:{{virtual}}"));
        var keys = inspector.GetServer(inspector.GetEndPoints()[0]).Keys(pattern: $"{prefix}:table:*").Select(k => (string)k!).ToList();
        Assert.Equal([$"{prefix}:table:{{virtual}}"], keys);
    }

    [Fact]
    public async Task LoadingNoEntriesEmptiesTheTable()
    {
        await RedisTables.LoadAsync(_url, "access", [("spam.example", "REJECT")]);
        var (factory, connection) = Factory();
        await using var _ = connection;
        Assert.Equal("REJECT", await factory.Open("redis:access").LookupAsync("spam.example"));
        Assert.Equal(0, await RedisTables.LoadAsync(_url, "access", []));
        Assert.Null(await factory.Open("redis:access").LookupAsync("spam.example"));
    }

    [Fact]
    public async Task UnreachableRedisIsATableErrorNotAMiss()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var factory = new LookupTableFactory();
        await using var connection = RedisTables.Register(factory, $"redis://127.0.0.1:{port}?timeout=300");
        var table = factory.Open("redis:aliases");
        var error = await Assert.ThrowsAsync<TableLookupException>(async () => await table.LookupAsync("postmaster"));
        Assert.Equal("redis:aliases", error.Reference);
    }

    [Fact]
    public void BadTableNamesAreRefused()
    {
        var (factory, _) = Factory();
        Assert.Throws<TableLookupException>(() => factory.Open("redis:a{b}"));
    }
}

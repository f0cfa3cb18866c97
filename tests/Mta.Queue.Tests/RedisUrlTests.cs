using System.Net;
using Mta.Queue.Redis;

namespace Mta.Queue.Tests;

public class RedisUrlTests
{
    [Theory]
    [InlineData("redis://localhost", "localhost", 6379, false, null, null, null)]
    [InlineData("redis://redis.mail.svc:6380/2", "redis.mail.svc", 6380, false, null, null, 2)]
    [InlineData("redis://:s3cret@10.0.0.5:6379", "10.0.0.5", 6379, false, null, "s3cret", null)]
    [InlineData("redis://mta:p%40ss@host:1234/0", "host", 1234, false, "mta", "p@ss", 0)]
    [InlineData("rediss://:pw@redis.example.com:6380", "redis.example.com", 6380, true, null, "pw", null)]
    public void ParsesRedisUrls(string url, string host, int port, bool tls, string? user, string? password, int? db)
    {
        var options = RedisUrl.Parse(url);
        var (actualHost, actualPort) = Assert.Single(options.EndPoints) switch
        {
            DnsEndPoint dns => (dns.Host, dns.Port),
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            var other => throw new Xunit.Sdk.XunitException($"unexpected endpoint {other}"),
        };
        Assert.Equal(host, actualHost);
        Assert.Equal(port, actualPort);
        Assert.Equal(tls, options.Ssl);
        Assert.Equal(user, options.User);
        Assert.Equal(password, options.Password);
        Assert.Equal(db, options.DefaultDatabase);
    }

    [Theory]
    [InlineData("localhost:6379")]
    [InlineData("http://localhost")]
    [InlineData("redis://host/notanumber")]
    public void RejectsOtherForms(string url) => Assert.Throws<FormatException>(() => RedisUrl.Parse(url));

    [Fact]
    public void QueueOptionsRideInTheQueryString()
    {
        var options = RedisQueueStoreOptions.FromUrl("redis://:pw@redis:6379/1?shards=32&wait_replicas=1&wait_timeout=250&prefix=mail&timeout=3000");
        Assert.Equal(32, options.Shards);
        Assert.Equal(1, options.WaitReplicas);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.WaitTimeout);
        Assert.Equal("mail", options.KeyPrefix);
        Assert.Equal(TimeSpan.FromSeconds(3), options.OperationTimeout);
        Assert.Equal(1, RedisUrl.Parse(options.RedisUrl).DefaultDatabase);

        var defaults = RedisQueueStoreOptions.FromUrl("redis://redis");
        Assert.Equal(16, defaults.Shards);
        Assert.Equal(0, defaults.WaitReplicas);
    }

    [Theory]
    [InlineData("redis://redis?shards=0")]
    [InlineData("redis://redis?wait_replica=1")]
    [InlineData("redis://redis?prefix={x}")]
    [InlineData("redis://redis?shards")]
    public void RejectsBadQueueOptions(string url) => Assert.Throws<FormatException>(() => RedisQueueStoreOptions.FromUrl(url));
}

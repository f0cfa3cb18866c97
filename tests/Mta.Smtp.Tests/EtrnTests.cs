using Mta.Config.Tables;
using Mta.Smtp.Policy;
using Mta.Smtp.Tests.Support;

namespace Mta.Smtp.Tests;

/// <summary>ETRN: only fast_flush_domains may be flushed, with flush(8)'s legacy replies (no enhanced codes).</summary>
public sealed class EtrnTests
{
    private static SmtpdSettings WithFastFlush(string domains) => TestServer.Defaults with
    {
        FastFlushDomains = DomainMatchList.Parse("fast_flush_domains", domains, false, LookupTableFactory.Shared),
    };

    private static async Task<string> EtrnAsync(TestServer server, string argument)
    {
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO client.example.net");
        return await client.CommandAsync($"ETRN {argument}");
    }

    [Fact]
    public async Task ASiteOutsideFastFlushDomainsIsRefused()
    {
        await using var server = await TestServer.StartAsync(WithFastFlush("relay.example"));
        Assert.Equal("459 <other.example>: service unavailable", await EtrnAsync(server, "other.example"));
    }

    [Fact]
    public async Task WithoutRelayDomainsNothingCanBeFlushed()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal("459 <relay.example>: service unavailable", await EtrnAsync(server, "relay.example"));
    }

    [Fact]
    public async Task AStoreThatCannotFlushAnswers458()
    {
        // The test store only takes mail; it has no deferred queue to flush.
        await using var server = await TestServer.StartAsync(WithFastFlush("relay.example"));
        Assert.Equal("458 Unable to queue messages", await EtrnAsync(server, "@relay.example"));
    }

    [Fact]
    public async Task EtrnNeedsADomain()
    {
        await using var server = await TestServer.StartAsync(WithFastFlush("relay.example"));
        Assert.Equal("500 Syntax: ETRN domain", await EtrnAsync(server, ""));
    }
}

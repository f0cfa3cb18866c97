using Mta.Delivery.Simple;
using Mta.Delivery.Tests.Local;
using Mta.Queue;

namespace Mta.Delivery.Tests.Simple;

/// <summary>discard(8), error(8) and the retry service.</summary>
public sealed class SimpleAgentTests
{
    [Theory]
    [InlineData("", "discarded")]
    [InlineData("spam trap", "spam trap")]
    public async Task DiscardClaimsDeliveryWithTheNexthopText(string nexthop, string reason)
    {
        await using var h = new AgentHarness();
        var agent = new DiscardDeliveryAgent(h.Context("discard", "discard"));

        var results = await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "discard", nexthop, "a@x.example", "b@x.example"), default);

        Assert.Equal([0, 1], results.Select(r => r.Index).ToArray());
        Assert.All(results, r =>
        {
            Assert.Equal(RecipientOutcome.Delivered("2.0.0", reason), r.Outcome);
            Assert.Equal("none", r.Relay);
        });
    }

    [Theory]
    [InlineData("no such list", "5.0.0", "no such list")]
    [InlineData("5.1.1 mailbox gone", "5.1.1", "mailbox gone")]
    [InlineData("", "5.0.0", "unknown mail transport error")]
    [InlineData("4.2.0 try later", "5.0.0", "try later")]
    public async Task ErrorBouncesWithTheNexthopText(string nexthop, string dsn, string reason)
    {
        await using var h = new AgentHarness();
        var agent = new ErrorDeliveryAgent(h.Context("error", "error"));

        var r = Assert.Single(await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "error", nexthop, "a@x.example"), default));

        Assert.Equal(RecipientOutcome.Bounced(dsn, reason), r.Outcome);
        Assert.Equal("none", r.Relay);
    }

    [Theory]
    [InlineData("try later", "4.0.0", "try later")]
    [InlineData("4.7.1 not now", "4.7.1", "not now")]
    [InlineData("5.7.1 not now", "4.0.0", "not now")]
    public async Task RetryServiceDefersInstead(string nexthop, string dsn, string reason)
    {
        await using var h = new AgentHarness();
        var agent = new ErrorDeliveryAgent(h.Context("retry", "error"));

        var r = Assert.Single(await agent.DeliverAsync(AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "retry", nexthop, "a@x.example"), default));

        Assert.Equal(RecipientOutcome.Deferred(dsn, reason), r.Outcome);
    }
}

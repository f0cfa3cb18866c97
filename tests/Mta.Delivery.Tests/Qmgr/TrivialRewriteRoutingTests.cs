using Mta.Delivery.Routing;

namespace Mta.Delivery.Tests.Qmgr;

/// <summary>The queue manager with the real resolver (trivial-rewrite) instead of the test router.</summary>
public sealed class TrivialRewriteRoutingTests
{
    [Fact]
    public async Task LocalAndRemoteRecipientsGoToTheirTransports()
    {
        await using var h = new QmgrHarness(("myhostname", "mx.example.com"), ("mydomain", "example.com"),
            ("myorigin", "example.com"), ("mydestination", "$myhostname, localhost"), ("compatibility_level", "3.6"));
        h.Router = TrivialRewriteRouter.From(h.Parameters);
        var id = await h.EnqueueAsync("alice@example.com", "root@mx.example.com", "friend@remote.example");
        h.Start();

        await h.WaitForLineAsync($"postfix/qmgr: {id}: removed");
        var local = Assert.Single(h.Local.Calls);
        Assert.Equal(("local", "root@mx.example.com"), (local.Transport, Assert.Single(local.Recipients).Address));
        var remote = Assert.Single(h.Smtp.Calls);
        Assert.Equal(("smtp", "remote.example", "friend@remote.example"), (remote.Transport, remote.Nexthop, Assert.Single(remote.Recipients).Address));
    }
}

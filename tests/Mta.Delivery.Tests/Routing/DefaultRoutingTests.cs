using Mta.Config;
using Mta.Delivery.Routing;

namespace Mta.Delivery.Tests.Routing;

/// <summary>Postfix's built-in defaults alone (no main.cf): mail for this host is local, everything else goes by smtp.</summary>
public sealed class DefaultRoutingTests
{
    private static readonly ParameterSet Defaults = new(ParameterCatalogue.All);
    private static readonly string MyHostname = Defaults.Get(ParameterCatalogue.MyHostname);

    [Fact]
    public async Task UnqualifiedRecipientIsLocalToMyhostname()
    {
        var route = await TrivialRewriteRouter.From(Defaults).RouteAsync("postmaster", CancellationToken.None);
        Assert.Equal(new Route("local", MyHostname, "postmaster@" + MyHostname), route);
    }

    // The built-in compatibility_level is 0, where append_dot_mydomain = yes: localhost.$mydomain is in mydestination.
    [Fact]
    public async Task LocalhostGetsMydomainAppendedAndStaysLocal()
    {
        var route = await TrivialRewriteRouter.From(Defaults).RouteAsync("root@localhost", CancellationToken.None);
        var myDomain = Defaults.Get(ParameterCatalogue.MyDomain);
        Assert.Equal(new Route("local", MyHostname, "root@localhost." + myDomain), route);
    }

    [Fact]
    public async Task RemoteDomainGoesBySmtpToItsMx()
    {
        var route = await TrivialRewriteRouter.From(Defaults).RouteAsync("user@example.net", CancellationToken.None);
        Assert.Equal(new Route("smtp", "example.net", "user@example.net"), route);
    }
}

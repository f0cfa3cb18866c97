using Mta.Delivery.Routing;

namespace Mta.Delivery.Tests.Routing;

/// <summary>
/// Routing tables from resolve.c, transport.c and transport(5). Every row is checked against our router and
/// against Debian's real trivial-rewrite(8) with the same main.cf and tables (see <see cref="PostfixTrivialRewrite"/>).
/// Base configuration: <see cref="RoutingConfiguration"/> (myhostname mx.example.com, myorigin origin.example,
/// relay_domains relay.example, virtual_alias_domains valias.example, virtual_mailbox_domains vmail.example).
/// </summary>
public sealed class TrivialRewriteRouterTests
{
    private const string Transports = "transport_maps = texthash:{dir}/transport";

    [Theory]
    [InlineData("", "alice@localhost", "local", "mx.example.com", "alice@localhost")]
    [InlineData("", "Alice@MX.Example.COM", "local", "mx.example.com", "Alice@MX.Example.COM")]
    [InlineData("", "x@valias.example", "error", "5.1.1 User unknown in virtual alias table", "x@valias.example")]
    [InlineData("show_user_unknown_table_name = no", "x@valias.example", "error", "5.1.1 User unknown", "x@valias.example")]
    [InlineData("", "x@vmail.example", "virtual", "vmail.example", "x@vmail.example")]
    [InlineData("", "x@relay.example", "relay", "relay.example", "x@relay.example")]
    [InlineData("", "x@sub.relay.example", "relay", "sub.relay.example", "x@sub.relay.example")]
    [InlineData("", "x@remote.example", "smtp", "remote.example", "x@remote.example")]
    [InlineData("", "x@remote.example.", "smtp", "remote.example", "x@remote.example")]
    [InlineData("local_transport = local", "alice@localhost", "local", "localhost", "alice@localhost")]
    [InlineData("virtual_transport = lmtp:unix:private/dovecot-lmtp", "x@vmail.example", "lmtp", "unix:private/dovecot-lmtp", "x@vmail.example")]
    [InlineData("relay_transport = smtp:[relay-gw.example]:2525", "x@relay.example", "smtp", "[relay-gw.example]:2525", "x@relay.example")]
    [InlineData("default_transport = relay", "x@remote.example", "relay", "remote.example", "x@remote.example")]
    public Task AddressClassesGetTheirTransportAndNexthop(string mainCf, string recipient, string transport, string nexthop, string resolved) =>
        AssertRouteAsync(mainCf, recipient, transport, nexthop, resolved);

    [Theory]
    [InlineData("", "alice", "smtp", "origin.example", "alice@origin.example")]
    [InlineData("myorigin = $myhostname", "alice", "local", "mx.example.com", "alice@mx.example.com")]
    [InlineData("append_at_myorigin = no", "alice", "local", "mx.example.com", "alice@mx.example.com")]
    [InlineData("", "", "local", "mx.example.com", "MAILER-DAEMON@mx.example.com")]
    [InlineData("", "x@host", "smtp", "host", "x@host")]
    [InlineData("append_dot_mydomain = yes", "x@host", "smtp", "host.example.com", "x@host.example.com")]
    [InlineData("append_dot_mydomain = yes", "x@[192.0.2.9]", "smtp", "[192.0.2.9]", "x@[192.0.2.9]")]
    [InlineData("", "remote.example!alice", "smtp", "remote.example", "alice@remote.example")]
    [InlineData("", "alice%remote.example", "smtp", "remote.example", "alice@remote.example")]
    [InlineData("", "first last", "smtp", "origin.example", "first last@origin.example")]
    [InlineData("", "remote.example!first last", "smtp", "origin.example", "remote.example!first last@origin.example")]
    public Task RecipientsAreCanonicalizedLikeCleanupFirst(string mainCf, string recipient, string transport, string nexthop, string resolved) =>
        AssertRouteAsync(mainCf, recipient, transport, nexthop, resolved);

    [Theory]
    [InlineData("relayhost = [gw.example]:587", "x@remote.example", "smtp", "[gw.example]:587")]
    [InlineData("relayhost = [gw.example]:587", "x@relay.example", "relay", "[gw.example]:587")]
    [InlineData("relayhost = gw.example", "x@remote.example", "smtp", "gw.example")]
    [InlineData("relayhost = gw.example:2525", "x@remote.example", "smtp", "gw.example:2525")]
    [InlineData("relayhost = [192.0.2.1]", "x@remote.example", "smtp", "[192.0.2.1]")]
    [InlineData("relayhost = [a.example]:587, [b.example]", "x@remote.example", "smtp", "[a.example]:587, [b.example]")]
    [InlineData("relayhost = [gw.example]", "alice@localhost", "local", "mx.example.com")]
    [InlineData("relayhost = [gw.example]", "x@vmail.example", "virtual", "vmail.example")]
    [InlineData("relayhost = [gw.example]\ndefault_transport = smtp:[out.example]", "x@remote.example", "smtp", "[out.example]")]
    [InlineData("relayhost = [gw.example]\ndefault_transport = smtp:", "x@remote.example", "smtp", "[gw.example]")]
    public Task RelayhostReplacesTheNexthopOfOffHostClassesOnly(string mainCf, string recipient, string transport, string nexthop) =>
        AssertRouteAsync(mainCf, recipient, transport, nexthop, recipient);

    [Theory]
    [InlineData("", "special@remote.example", "lmtp", "inet:127.0.0.1:24", "special@remote.example")]
    [InlineData("", "x@remote.example", "smtp", "[mx1.remote.example]:25", "x@remote.example")]
    [InlineData("", "SPECIAL@Remote.EXAMPLE", "lmtp", "inet:127.0.0.1:24", "SPECIAL@Remote.EXAMPLE")]
    [InlineData("", "x@a.b.remote.example", "relay", "a.b.remote.example", "x@a.b.remote.example")]
    [InlineData("", "bob+tag@remote.example", "smtp", "[mx1.remote.example]:25", "bob+tag@remote.example")]
    [InlineData("recipient_delimiter = +", "bob+tag@remote.example", "lmtp", "[lmtp.example]", "bob+tag@remote.example")]
    [InlineData("recipient_delimiter = -+", "bob-tag@remote.example", "lmtp", "[lmtp.example]", "bob-tag@remote.example")]
    [InlineData("parent_domain_matches_subdomains = transport_maps", "x@a.b.remote.example", "smtp", "[mx1.remote.example]:25", "x@a.b.remote.example")]
    [InlineData("", "alice@mx.example.com", "local", "other-host.example", "alice@mx.example.com")]
    [InlineData("", "x@valias.example", "error", "5.1.1 User unknown in virtual alias table", "x@valias.example")]
    public Task TransportMapsAreSearchedInPostfixOrder(string mainCf, string recipient, string transport, string nexthop, string resolved) =>
        AssertRouteAsync(Transports + "\n" + mainCf, recipient, transport, nexthop, resolved);

    [Theory]
    [InlineData("x@keep.example", "smtp", "[gw.example]")]
    [InlineData("x@hop.example", "smtp", "[hop-gw.example]")]
    [InlineData("x@only.example", "relay", "only.example")]
    [InlineData("x@dead.example", "error", "5.7.1 no mail for you")]
    [InlineData("x@gone.example", "error", "Address is undeliverable")]
    [InlineData("x@bin.example", "discard", "bin.example")]
    [InlineData("x@later.example", "retry", "4.4.1 try later")]
    public Task TransportMapEntriesKeepOrResetTheClassDefaults(string recipient, string transport, string nexthop) =>
        AssertRouteAsync(Transports + "\nrelayhost = [gw.example]", recipient, transport, nexthop, recipient);

    [Theory]
    [InlineData("texthash:{dir}/wildcard", "x@unknown.example", "smtp", "[smarthost.example]")]
    [InlineData("texthash:{dir}/wildcard", "x@remote.example", "smtp", "remote.example")]
    [InlineData("texthash:{dir}/wildcard", "alice@localhost", "smtp", "[smarthost.example]")]
    [InlineData("texthash:{dir}/wildcard", "x@valias.example", "error", "5.1.1 User unknown in virtual alias table")]
    [InlineData("texthash:{dir}/wildcard, texthash:{dir}/transport", "x@dead.example", "error", "5.7.1 no mail for you")]
    [InlineData("regexp:{dir}/transport.re", "x@regex.example", "smtp", "[re.example]")]
    [InlineData("regexp:{dir}/transport.re", "x@regex2.example", "smtp", "regex2.example")]
    public Task WildcardIsTheLastResortAndPatternsSeeOnlyTheAddress(string maps, string recipient, string transport, string nexthop) =>
        AssertRouteAsync("transport_maps = " + maps, recipient, transport, nexthop, recipient);

    [Theory]
    [InlineData("", "user%remote.example@mx.example.com", "smtp", "remote.example", "user@remote.example")]
    [InlineData("allow_percent_hack = no", "user%remote.example@mx.example.com", "local", "mx.example.com", "user%remote.example@mx.example.com")]
    [InlineData("", "remote.example!user@mx.example.com", "smtp", "remote.example", "user@remote.example")]
    [InlineData("swap_bangpath = no", "remote.example!user@mx.example.com", "local", "mx.example.com", "remote.example!user@mx.example.com")]
    // In internal form a source route is part of a local part that needs quoting: cleanup leaves it alone.
    [InlineData("", "@mx.example.com:user@remote.example", "smtp", "remote.example", "@mx.example.com:user@remote.example")]
    [InlineData("", "user@remote.example@mx.example.com", "smtp", "remote.example", "user@remote.example")]
    [InlineData("resolve_dequoted_address = no", "user@remote.example@mx.example.com", "local", "mx.example.com", "user@remote.example@mx.example.com")]
    [InlineData("", "user%other.example@remote.example", "smtp", "remote.example", "user%other.example@remote.example")]
    [InlineData("", "user%relay.example@localhost", "relay", "relay.example", "user@relay.example")]
    [InlineData("", "user%alice@localhost", "smtp", "alice", "user@alice")]
    [InlineData("", "user@[127.0.0.1]", "local", "mx.example.com", "user@[127.0.0.1]")]
    [InlineData("", "user@[192.0.2.99]", "smtp", "[192.0.2.99]", "user@[192.0.2.99]")]
    [InlineData("resolve_numeric_domain = yes", "user@192.0.2.99", "smtp", "[192.0.2.99]", "user@[192.0.2.99]")]
    [InlineData("allow_min_user = yes", "-opt@remote.example", "smtp", "remote.example", "-opt@remote.example")]
    public Task AddressTricksResolveExactlyAsPostfixDoes(string mainCf, string recipient, string transport, string nexthop, string resolved) =>
        AssertRouteAsync(mainCf, recipient, transport, nexthop, resolved);

    [Theory]
    [InlineData("", "user@[300.1.1.1]")]
    [InlineData("", "user@-bad.example")]
    [InlineData("", "user@bad..example")]
    [InlineData("", "user@192.0.2.99")]
    [InlineData("", "-opt@remote.example")]
    public Task BadAddressesGoToTheErrorService(string mainCf, string recipient) =>
        AssertRouteAsync(mainCf, recipient, "error", "5.1.3 bad address syntax", null);

    [Theory]
    [InlineData("moved@remote.example", "error", "5.1.6 User has moved to new@else.example")]
    [InlineData("x@remote.example", "smtp", "remote.example")]
    public Task RelocatedRecipientsBounceWithTheirNewAddress(string recipient, string transport, string nexthop) =>
        AssertRouteAsync("relocated_maps = texthash:{dir}/relocated", recipient, transport, nexthop, recipient);

    // relocated_prefix_enable is newer than Debian's Postfix 3.7, which cannot check these rows: resolve.c of 3.11 can.
    [Theory]
    [InlineData("gone@remote.example", "5.1.1 account closed")]
    [InlineData("plain@remote.example", "5.2.0 Mailbox is unavailable")]
    public async Task RelocatedWithoutPrefixUsesTheTablesOwnStatus(string recipient, string nexthop)
    {
        using var config = new RoutingConfiguration("relocated_maps = texthash:{dir}/relocated\nrelocated_prefix_enable = no");
        var route = await config.CreateRouter().RouteAsync(recipient, CancellationToken.None);
        Assert.Equal(new Route("error", nexthop, recipient), route);
    }

    [Theory]
    [InlineData("transport_maps = fail:broken", "x@remote.example", "transport_maps lookup failure")]
    [InlineData("relocated_maps = fail:broken", "x@remote.example", "relocated_maps lookup failure")]
    [InlineData("relay_domains = fail:broken", "x@remote.example", "fail:broken")]
    [InlineData("default_transport = :[out.example]", "x@remote.example", "parameter default_transport: null transport is not allowed")]
    public async Task UnusableTablesAndSettingsDeferThroughTheRetryService(string mainCf, string recipient, string warning)
    {
        await AssertRouteAsync(mainCf, recipient, "retry", "4.3.0 address resolver failure", recipient);
        using var config = new RoutingConfiguration(mainCf);
        await config.CreateRouter().RouteAsync(recipient, CancellationToken.None);
        Assert.Contains(config.Log, line => line.StartsWith("warning: ", StringComparison.Ordinal) && line.Contains(warning));
    }

    private static async Task AssertRouteAsync(string mainCf, string recipient, string transport, string nexthop, string? resolved)
    {
        using var config = new RoutingConfiguration(mainCf);
        var ours = await config.CreateRouter().RouteAsync(recipient, CancellationToken.None);
        var theirs = await new PostfixTrivialRewrite(config.Directory).RouteAsync(recipient);

        var expected = new Route(transport, nexthop, resolved ?? theirs.Recipient);
        Assert.Equal(expected, theirs);
        Assert.Equal(expected, ours);
    }
}

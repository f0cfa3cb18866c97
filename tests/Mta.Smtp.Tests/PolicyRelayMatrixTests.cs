using Mta.Smtp.Policy;
using static Mta.Smtp.Tests.PolicyTestKit;

namespace Mta.Smtp.Tests;

/// <summary>
/// The relay matrix: client in/out of mynetworks x SASL x local/relay/remote destination x address tricks, with the
/// default smtpd_relay_restrictions (permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination).
/// </summary>
public sealed class PolicyRelayMatrixTests
{
    private static readonly SmtpdPolicy Policy = PolicyTestKit.Policy();

    public static TheoryData<string, string?> StrangerCases => new()
    {
        // Plain destinations.
        { "user@example.com", null },
        { "user@mx.example.com", null },
        { "user@localhost", null },
        { "user@relay.example", null },
        { "user@sub.relay.example", null }, // relay_domains matches subdomains
        { "user", null }, // becomes user@$myhostname
        { "user@remote.example", "454 4.7.1 <user@remote.example>: Relay access denied" },
        { "user@sub.example.com", "454 4.7.1 <user@sub.example.com>: Relay access denied" }, // mydestination: exact only
        // Trailing dots.
        { "user@example.com.", null },
        { "user@remote.example.", "454 4.7.1 <user@remote.example.>: Relay access denied" },
        // Percent hack.
        { "user%remote.example@example.com", "454 4.7.1 <user%remote.example@example.com>: Relay access denied" },
        { "user%remote.example@relay.example", "454 4.7.1 <user%remote.example@relay.example>: Relay access denied" },
        { "user%example.com@example.com", null },
        // Bang paths.
        { "remote.example!user@example.com", "454 4.7.1 <remote.example!user@example.com>: Relay access denied" },
        { "remote.example!user@relay.example", "454 4.7.1 <remote.example!user@relay.example>: Relay access denied" },
        { "remote.example!user", "454 4.7.1 <remote.example!user>: Relay access denied" },
        // Quoted local parts hiding routing ("user@remote.example"@example.com in internal form).
        { "user@remote.example@example.com", "454 4.7.1 <user@remote.example@example.com>: Relay access denied" },
        { "user@remote.example@relay.example", "454 4.7.1 <user@remote.example@relay.example>: Relay access denied" },
        { "john doe@example.com", null },
        // Address literals.
        { "user@[203.0.113.1]", null },
        { "user@[192.0.2.99]", "454 4.7.1 <user@[192.0.2.99]>: Relay access denied" },
        { "user%remote.example@[203.0.113.1]", "454 4.7.1 <user%remote.example@[203.0.113.1]>: Relay access denied" },
        { "user@remote.example@[203.0.113.1]", "454 4.7.1 <user@remote.example@[203.0.113.1]>: Relay access denied" },
        // Nested tricks.
        { "user%remote.example%example.com@example.com", "454 4.7.1 <user%remote.example%example.com@example.com>: Relay access denied" },
        { "example.com!remote.example!user@example.com", "454 4.7.1 <example.com!remote.example!user@example.com>: Relay access denied" },
        // Malformed domains are syntax errors, never relayed.
        { "user@", "501 5.1.3 Bad recipient address syntax" },
        { "user@remote..example", "501 5.1.3 Bad recipient address syntax" },
        { "user@[300.1.1.1]", "501 5.1.3 Bad recipient address syntax" },
        { "user@192.0.2.5", "501 5.1.3 Bad recipient address syntax" },
    };

    [Theory]
    [MemberData(nameof(StrangerCases))]
    public async Task StrangerWithoutSaslReachesOnlyOurDomains(string recipient, string? expected)
    {
        Assert.Equal(expected, await Policy.Rcpt(Session(), recipient));
    }

    [Theory]
    [InlineData(Trusted, false)]
    [InlineData(Stranger, true)]
    [InlineData(Trusted, true)]
    public async Task TrustedOrAuthenticatedClientsMayRelay(string client, bool sasl)
    {
        var session = Session(client, sasl: sasl);
        foreach (var recipient in new[] { "user@remote.example", "user@example.com", "user@relay.example", "user%x@example.com" })
            Assert.Null(await Policy.Rcpt(session, recipient));
    }

    [Theory]
    [InlineData("user@remote.example", "554 5.7.1 <user@remote.example>: Relay access denied")]
    [InlineData("user%remote.example@example.com", "554 5.7.1 <user%remote.example@example.com>: Relay access denied")]
    [InlineData("user@example.com", null)]
    public async Task RejectUnauthDestinationInRecipientRestrictions(string recipient, string? expected)
    {
        var policy = PolicyTestKit.Policy(Settings with
        {
            SmtpdRelayRestrictions = "",
            SmtpdRecipientRestrictions = "permit_mynetworks, reject_unauth_destination",
        });
        Assert.Equal(expected, await policy.Rcpt(Session(), recipient));
        Assert.Null(await policy.Rcpt(Session(Trusted), recipient));
    }

    [Theory]
    [InlineData("user%remote.example@example.com")]
    [InlineData("remote.example!user@example.com")]
    public async Task RoutingOperatorsInLocalPartAreRefusedEvenWhenNotHonoured(string recipient)
    {
        // With the percent hack and bang paths off the address stays local, but still carries routing: refused.
        var policy = PolicyTestKit.Policy(Settings with { AllowPercentHack = false, SwapBangpath = false });
        Assert.Equal($"454 4.7.1 <{recipient}>: Relay access denied", await policy.Rcpt(Session(), recipient));
    }

    [Fact]
    public async Task AllowUntrustedRoutingAcceptsRoutedRelayDomainMail()
    {
        var policy = PolicyTestKit.Policy(Settings with { AllowUntrustedRouting = true });
        Assert.Null(await policy.Rcpt(Session(), "user%remote.example@relay.example"));
        // The percent hack still resolves to the remote domain for a local domain: refused.
        Assert.Equal("454 4.7.1 <user%remote.example@example.com>: Relay access denied",
            await policy.Rcpt(Session(), "user%remote.example@example.com"));
    }

    [Theory]
    [InlineData("<@example.com,@mx.example.com:user@remote.example>", "user@remote.example")]
    [InlineData("<\"user@remote.example\"@example.com>", "user@remote.example@example.com")]
    [InlineData("<\"john doe\"@example.com>", "john doe@example.com")]
    [InlineData("user@example.com", "user@example.com")]
    [InlineData("<user(comment)@example.com>", "user@example.com")]
    [InlineData("<\"a\\\"b\"@example.com>", "a\"b@example.com")]
    [InlineData("<>", "")]
    public void SmtpPathsAreExtractedAsPostfixDoes(string path, string expected)
    {
        Assert.True(SmtpPathParser.TryExtract(path, allowEmpty: true, out var address));
        Assert.Equal(expected, address);
    }

    [Theory]
    [InlineData("<\"unterminated@example.com>")]
    [InlineData("<a b@example.com>")]
    [InlineData("<a@b>,<c@d>")]
    public void MalformedPathsAreRejected(string path)
    {
        Assert.False(SmtpPathParser.TryExtract(path, allowEmpty: false, out _));
    }

    [Fact]
    public async Task SourceRoutedPathIsJudgedByItsFinalMailbox()
    {
        Assert.True(SmtpPathParser.TryExtract("<@example.com:user@remote.example>", false, out var address));
        Assert.Equal("454 4.7.1 <user@remote.example>: Relay access denied", await Policy.Rcpt(Session(), address));
    }

    [Theory]
    [InlineData("<\"john doe\"@example.com> SIZE=100 BODY=8BITMIME", "<\"john doe\"@example.com>", "SIZE=100 BODY=8BITMIME")]
    [InlineData("<a@b>", "<a@b>", "")]
    [InlineData(" <a@[IPv6:2001:db8::1]> NOTIFY=NEVER", "<a@[IPv6:2001:db8::1]>", "NOTIFY=NEVER")]
    public void PathAndParametersSplit(string text, string path, string parameters)
    {
        Assert.Equal((path, parameters), SmtpPathParser.SplitPathAndParameters(text));
    }

    [Theory]
    [InlineData("user%remote.example@example.com", "user@remote.example", AddressClass.Default, false)]
    [InlineData("remote.example!user@example.com", "user@remote.example", AddressClass.Default, false)]
    [InlineData("user@remote.example@example.com", "user@remote.example", AddressClass.Default, false)]
    [InlineData("user%remote.example@relay.example", "user%remote.example@relay.example", AddressClass.Relay, true)]
    [InlineData("user@example.com.", "user@example.com", AddressClass.Local, false)]
    [InlineData("@example.com", "MAILER-DAEMON@example.com", AddressClass.Local, false)]
    [InlineData("user@[IPv6:2001:db8::1]", "user@[IPv6:2001:db8::1]", AddressClass.Default, false)]
    public async Task ResolverUndoesRouting(string address, string recipient, AddressClass cls, bool routed)
    {
        var resolved = await Policy.Resolver.ResolveAsync(address);
        Assert.Equal((recipient, cls, routed), (resolved.Recipient, resolved.Class, resolved.IsRouted));
    }
}

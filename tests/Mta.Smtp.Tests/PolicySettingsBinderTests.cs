using Mta.Config;
using Mta.Config.MainCf;
using Mta.Smtp.Policy;
using static Mta.Smtp.Tests.PolicyTestKit;

namespace Mta.Smtp.Tests;

/// <summary>The policy binds from main.cf through the catalogue and then behaves as configured.</summary>
public sealed class PolicySettingsBinderTests
{
    private static ParameterSet Parameters(string mainCf) =>
        new(ParameterCatalogue.All, MainCfFile.Parse(mainCf, "main.cf"));

    [Fact]
    public async Task Level36DefaultsDeferStrangersRelaying()
    {
        var p = Parameters("""
            compatibility_level = 3.6
            myhostname = mx.example.com
            mydomain = example.com
            mynetworks = 192.0.2.0/24
            inet_interfaces = loopback-only
            relay_domains = relay.example
            strict = reject_non_fqdn_sender, reject
            smtpd_restriction_classes = strict
            smtpd_sender_restrictions = check_sender_access inline:{bad@example.org=strict}
            """);
        var settings = PolicySettingsBinder.BindSmtpdPolicy(p);
        Assert.Equal("permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination", settings.SmtpdRelayRestrictions);
        Assert.Equal("mx.example.com, localhost.example.com, localhost", settings.MyDestination);
        Assert.Equal("reject_non_fqdn_sender, reject", settings.SmtpdRestrictionClasses["strict"]);
        Assert.True(settings.SmtpdDelayReject);

        var policy = new SmtpdPolicy(settings with { LocalRecipientMaps = "" }, dns: new FakeDns());
        Assert.Equal("454 4.7.1 <a@remote.example>: Relay access denied", await policy.Rcpt(Session(), "a@remote.example"));
        Assert.Null(await policy.Rcpt(Session(), "a@relay.example"));
        Assert.Null(await policy.Rcpt(Session(), "a@[127.0.0.1]"));
        Assert.Null(await policy.Rcpt(Session(Trusted), "a@remote.example"));
        Assert.Equal("554 5.7.1 <bad@example.org>: Sender address rejected: Access denied",
            await policy.Rcpt(Session(), "a@mx.example.com", "bad@example.org"));
    }

    [Fact]
    public void ClientLimitsBind()
    {
        var p = Parameters("myhostname = mx.example.com\nsmtpd_client_connection_rate_limit = 30\nanvil_rate_time_unit = 2m\n");
        var limits = PolicySettingsBinder.BindClientLimits(p);
        Assert.Equal((50, 30, 84), (limits.SmtpdClientConnectionCountLimit, limits.SmtpdClientConnectionRateLimit, limits.SmtpdClientIpv6PrefixLength));
        Assert.Equal(TimeSpan.FromMinutes(2), PolicySettingsBinder.AnvilRateTimeUnit(p));
    }
}

using Mta.Config;
using Mta.Smtp.Policy;
using static Mta.Smtp.Tests.PolicyTestKit;

namespace Mta.Smtp.Tests;

/// <summary>Each restriction and access action with Postfix's exact reply, evaluated at RCPT (smtpd_delay_reject = yes).</summary>
public sealed class PolicyRestrictionTests
{
    private static SmtpdPolicySettings With(string list, string restrictions) => list switch
    {
        "client" => Settings with { SmtpdClientRestrictions = restrictions },
        "helo" => Settings with { SmtpdHeloRestrictions = restrictions },
        "sender" => Settings with { SmtpdSenderRestrictions = restrictions },
        "recipient" => Settings with { SmtpdRecipientRestrictions = restrictions },
        _ => throw new ArgumentException(list),
    };

    public static TheoryData<string, string, string, string, string?> Cases => new()
    {
        // list, restrictions, helo, sender, expected reply to RCPT TO:<user@example.com>
        { "client", "reject", "h.example.net", "s@example.org", "554 5.7.1 <unknown[198.51.100.7]>: Client host rejected: Access denied" },
        { "client", "defer", "h.example.net", "s@example.org", "450 4.3.2 <unknown[198.51.100.7]>: Client host rejected: Try again later" },
        { "client", "permit, reject", "h.example.net", "s@example.org", null },
        { "client", "permit_mynetworks, reject", "h.example.net", "s@example.org", "554 5.7.1 <unknown[198.51.100.7]>: Client host rejected: Access denied" },
        { "client", "defer_if_permit", "h.example.net", "s@example.org", "450 4.7.0 <unknown[198.51.100.7]>: Client host rejected: defer_if_permit requested" },
        { "client", "defer_if_reject, reject", "h.example.net", "s@example.org", "450 4.7.0 <unknown[198.51.100.7]>: Client host rejected: defer_if_reject requested" },
        { "client", "warn_if_reject reject", "h.example.net", "s@example.org", null },
        { "client", "warn_if_reject reject, reject", "h.example.net", "s@example.org", "554 5.7.1 <unknown[198.51.100.7]>: Client host rejected: Access denied" },
        { "client", "reject_unknown_client_hostname", "h.example.net", "s@example.org", "450 4.7.25 Client host rejected: cannot find your hostname, [198.51.100.7]" },
        { "client", "reject_unknown_reverse_client_hostname", "h.example.net", "s@example.org", "450 4.7.1 Client host rejected: cannot find your reverse hostname, [198.51.100.7]" },
        { "client", "reject_plaintext_session", "h.example.net", "s@example.org", "450 4.7.1 Session encryption is required" },
        { "client", "no_such_restriction", "h.example.net", "s@example.org", "451 4.3.5 Server configuration error" },
        { "client", "check_client_access inline:{198.51.100.7=REJECT}", "h", "s@example.org", "554 5.7.1 <unknown[198.51.100.7]>: Client host rejected: Access denied" },
        { "client", "check_client_access inline:{{198.51.100=REJECT go away}}", "h", "s@example.org", "554 5.7.1 <unknown[198.51.100.7]>: Client host rejected: go away" },
        { "client", "check_client_access inline:{{198=DEFER slow down}}", "h", "s@example.org", "450 4.7.1 <unknown[198.51.100.7]>: Client host rejected: slow down" },
        { "client", "check_client_access cidr:{{198.51.100.0/24 521 5.7.0 bye}}", "h", "s@example.org", "521 5.7.0 <unknown[198.51.100.7]>: Client host rejected: bye" },
        { "client", "check_client_access inline:{198.51.100.7=OK}, reject", "h", "s@example.org", null },
        { "client", "check_client_access inline:{198.51.100.7=12345}, reject", "h", "s@example.org", null },
        { "client", "check_client_access inline:{198.51.100.7=DUNNO, 198.51.100=REJECT}", "h", "s@example.org", null },
        { "client", "check_client_access inline:{198.51.100.7=reject}", "h", "s@example.org", "554 5.7.1 <unknown[198.51.100.7]>: Client host rejected: Access denied" },
        { "client", "check_client_access inline:{198.51.100.7=defer_if_permit}", "h", "s@example.org", "450 4.7.1 <unknown[198.51.100.7]>: Client host rejected: Service unavailable" },
        { "client", "check_client_access inline:{198.51.100.7=permit_sasl_authenticated}, reject", "h", "s@example.org", "554 5.7.1 <unknown[198.51.100.7]>: Client host rejected: Access denied" },
        { "client", "check_client_access inline:{{198.51.100.7=DEFER_IF_PERMIT 4.7.9 later}}", "h", "s@example.org", "450 4.7.9 <unknown[198.51.100.7]>: Client host rejected: later" },
        { "client", "check_client_access inline:{198.51.100.7=hash:/x}", "h", "s@example.org", "451 4.3.5 Server configuration error" },
        { "client", "check_client_access fail:x", "h", "s@example.org", "451 4.3.5 <unknown[198.51.100.7]>: Client host rejected: Server configuration error" },
        { "client", "inline:{198.51.100.7=REJECT}", "h", "s@example.org", "554 5.7.1 <unknown[198.51.100.7]>: Client host rejected: Access denied" },
        { "client", "check_client_access inline:{{unknown=REJECT nameless}}", "h", "s@example.org", "554 5.7.1 <unknown[198.51.100.7]>: Client host rejected: nameless" },
        // HELO.
        { "helo", "reject_invalid_helo_hostname", "bad_name!", "s@example.org", "501 5.5.2 <bad_name!>: Helo command rejected: Invalid name" },
        { "helo", "reject_invalid_helo_hostname", "host.example.net.", "s@example.org", null },
        { "helo", "reject_invalid_helo_hostname", "[1.2.3]", "s@example.org", "501 5.5.2 <[1.2.3]>: Helo command rejected: invalid ip address" },
        { "helo", "reject_non_fqdn_helo_hostname", "localhostname", "s@example.org", "504 5.5.2 <localhostname>: Helo command rejected: need fully-qualified hostname" },
        { "helo", "reject_non_fqdn_helo_hostname", "[192.0.2.1]", "s@example.org", null },
        { "helo", "reject_unknown_helo_hostname", "ghost.invalid", "s@example.org", "450 4.7.1 <ghost.invalid>: Helo command rejected: Host not found" },
        { "helo", "reject_unknown_helo_hostname", "slow.tempfail", "s@example.org", "450 4.7.1 <slow.tempfail>: Helo command rejected: Host not found" },
        { "helo", "check_helo_access inline:{{example.net=REJECT fake}}", "mail.sub.example.net", "s@example.org", "554 5.7.1 <mail.sub.example.net>: Helo command rejected: fake" },
        // Sender.
        { "sender", "reject_non_fqdn_sender", "h", "bob@localhost", "504 5.5.2 <bob@localhost>: Sender address rejected: need fully-qualified address" },
        { "sender", "reject_non_fqdn_sender", "h", "", null },
        { "sender", "reject_unknown_sender_domain", "h", "bob@nowhere.invalid", "450 4.1.8 <bob@nowhere.invalid>: Sender address rejected: Domain not found" },
        { "sender", "reject_unknown_sender_domain", "h", "bob@void.nullmx", "550 5.7.27 <bob@void.nullmx>: Sender address rejected: Domain void.nullmx does not accept mail (nullMX)" },
        { "sender", "reject_unknown_sender_domain", "h", "bob@example.com", null },
        { "sender", "check_sender_access inline:{{<>=REJECT no bounces}}", "h", "", "554 5.7.1 <>: Sender address rejected: no bounces" },
        { "sender", "check_sender_access inline:{spammer@=REJECT}", "h", "spammer@anywhere.example", "554 5.7.1 <spammer@anywhere.example>: Sender address rejected: Access denied" },
        { "sender", "check_sender_access inline:{{example.org=550 5.1.8 not from there}}", "h", "bob@mail.example.org", "550 5.1.8 <bob@mail.example.org>: Sender address rejected: not from there" },
        { "sender", "check_sender_access inline:{{bob@example.org=REJECT 5.1.1 mapped}}", "h", "bob@example.org", "554 5.1.0 <bob@example.org>: Sender address rejected: mapped" },
        { "sender", "check_sender_access regexp:{{/^bob@/ REJECT regexp}}", "h", "bob@example.org", "554 5.7.1 <bob@example.org>: Sender address rejected: regexp" },
        { "sender", "check_sender_access regexp:{{/^example\\.org$/ REJECT domain-only}}", "h", "bob@example.org", null },
        // Recipient.
        { "recipient", "reject_non_fqdn_recipient", "h", "s@example.org", null },
        { "recipient", "check_recipient_access inline:{{user@example.com=REJECT 4.2.2 full}}", "h", "s@example.org", "554 5.2.2 <user@example.com>: Recipient address rejected: full" },
        { "recipient", "check_recipient_access inline:{example.com=HOLD}", "h", "s@example.org", null },
        { "recipient", "reject_multi_recipient_bounce", "h", "", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RestrictionReplies(string list, string restrictions, string helo, string sender, string? expected)
    {
        var policy = PolicyTestKit.Policy(With(list, restrictions));
        Assert.Equal(expected, await policy.Rcpt(Session(helo: helo), "user@example.com", sender));
    }

    [Fact]
    public async Task DelayedRejectionWaitsForRcpt()
    {
        var policy = PolicyTestKit.Policy(Settings with { SmtpdClientRestrictions = "reject" });
        var session = Session();
        Assert.True((await policy.CheckClientAsync(session, default)).IsPermit);
        Assert.True((await policy.CheckHeloAsync(session, "h.example.net", default)).IsPermit);
        Assert.True((await policy.CheckSenderAsync(session, "s@example.org", default)).IsPermit);
        Assert.Equal("554 5.7.1 <unknown[198.51.100.7]>: Client host rejected: Access denied",
            await policy.Rcpt(session, "user@example.com"));
    }

    [Fact]
    public async Task WithoutDelayRejectClientListAnswersAtConnect()
    {
        var policy = PolicyTestKit.Policy(Settings with { SmtpdClientRestrictions = "reject", SmtpdDelayReject = false });
        var verdict = await policy.CheckClientAsync(Session(), default);
        Assert.Equal("554 5.7.1 <unknown[198.51.100.7]>: Client host rejected: Access denied", verdict.Reply?.ToString());
    }

    [Fact]
    public async Task RelayDenialWinsOverRecipientRestrictions()
    {
        var policy = PolicyTestKit.Policy(Settings with { SmtpdRecipientRestrictions = "reject" });
        Assert.Equal("454 4.7.1 <user@remote.example>: Relay access denied", await policy.Rcpt(Session(), "user@remote.example"));
        Assert.Equal("554 5.7.1 <user@example.com>: Recipient address rejected: Access denied", await policy.Rcpt(Session(), "user@example.com"));
    }

    [Fact]
    public async Task RecipientAccessOkNeverOpensRelayForRoutedAddresses()
    {
        var policy = PolicyTestKit.Policy(Settings with
        {
            SmtpdRelayRestrictions = "check_recipient_access inline:{relay.example=OK}, reject_unauth_destination",
        });
        Assert.Equal("554 5.7.1 <user%remote.example@relay.example>: Relay access denied",
            await policy.Rcpt(Session(), "user%remote.example@relay.example"));
        Assert.Null(await policy.Rcpt(Session(), "user@relay.example"));
    }

    [Fact]
    public async Task AccessMapActionsAreCarriedAsFlags()
    {
        var log = new List<string>();
        var policy = PolicyTestKit.Policy(Settings with
        {
            SmtpdSenderRestrictions = "check_sender_access inline:{s@example.org=HOLD, {b@example.org=BCC audit@example.com}}",
            SmtpdRecipientRestrictions = "check_recipient_access inline:{{trash@example.com=DISCARD gone}}, reject",
        }, log);
        var session = Session();
        Assert.True((await policy.CheckSenderAsync(session, "s@example.org", default)).IsPermit);
        Assert.Null(await policy.Rcpt(session, "trash@example.com", "s@example.org"));
        var actions = policy.MessageActions(session);
        Assert.True(actions.Hold);
        Assert.True(actions.Discard);
        Assert.Contains(log, l => l == "NOQUEUE: hold: RCPT from unknown[198.51.100.7]: <s@example.org>: Sender address triggers HOLD action; from=<s@example.org> proto=ESMTP helo=<client.example.net>");
        Assert.Contains(log, l => l.StartsWith("NOQUEUE: discard: RCPT from unknown[198.51.100.7]: <trash@example.com>: Recipient address gone;"));

        Assert.True((await policy.CheckSenderAsync(session, "b@example.org", default)).IsPermit);
        Assert.False(policy.MessageActions(session).Hold);
        Assert.Equal("554 5.7.1 <user@example.com>: Recipient address rejected: Access denied",
            await policy.Rcpt(session, "user@example.com", "b@example.org"));
        Assert.Equal(["audit@example.com"], await policy.AddedRecipientsAsync(session, "b@example.org", default));
    }

    [Fact]
    public async Task WarnIfRejectLogsInsteadOfRejecting()
    {
        var log = new List<string>();
        var policy = PolicyTestKit.Policy(Settings with { SmtpdRecipientRestrictions = "warn_if_reject, reject_non_fqdn_recipient" }, log);
        Assert.Null(await policy.Rcpt(Session(), "user@localhost"));
        Assert.Equal("NOQUEUE: reject_warning: RCPT from unknown[198.51.100.7]: 504 5.5.2 <user@localhost>: Recipient address rejected: need fully-qualified address; from=<sender@example.org> to=<user@localhost> proto=ESMTP helo=<client.example.net>",
            Assert.Single(log));
    }

    [Fact]
    public async Task RestrictionClassesExpand()
    {
        var policy = PolicyTestKit.Policy(Settings with
        {
            SmtpdRestrictionClasses = new Dictionary<string, string> { ["strict"] = "reject_non_fqdn_sender, reject" },
            SmtpdRecipientRestrictions = "check_recipient_access inline:{vip@example.com=strict}",
        });
        Assert.Equal("554 5.7.1 <vip@example.com>: Recipient address rejected: Access denied", await policy.Rcpt(Session(), "vip@example.com"));
        Assert.Null(await policy.Rcpt(Session(), "user@example.com"));
    }

    [Fact]
    public async Task DataRestrictionsUseDataCommandName()
    {
        var policy = PolicyTestKit.Policy(Settings with { SmtpdDataRestrictions = "reject_multi_recipient_bounce" });
        var two = await policy.CheckDataAsync(Session(), "", ["a@example.com", "b@example.com"], default);
        Assert.Equal("550 5.5.3 <DATA>: Data command rejected: Multi-recipient bounce", two.Reply?.ToString());
        Assert.True((await policy.CheckDataAsync(Session(), "", ["a@example.com"], default)).IsPermit);
    }

    [Fact]
    public async Task PostmasterIsAlwaysAccepted()
    {
        var policy = PolicyTestKit.Policy(Settings with { SmtpdRecipientRestrictions = "reject" });
        Assert.Null(await policy.Rcpt(Session(), "Postmaster"));
    }

    [Fact]
    public async Task BadSenderSyntaxIsRefusedAtMail()
    {
        var verdict = await PolicyTestKit.Policy().CheckSenderAsync(Session(), "bob@bad..domain", default);
        Assert.Equal("501 5.1.7 Bad sender address syntax", verdict.Reply?.ToString());
    }

    [Fact]
    public async Task SoftBounceTurnsRejectsIntoDeferrals()
    {
        var policy = PolicyTestKit.Policy(Settings with { SmtpdClientRestrictions = "reject", SoftBounce = true });
        Assert.Equal("454 4.7.1 <unknown[198.51.100.7]>: Client host rejected: Access denied", await policy.Rcpt(Session(), "user@example.com"));
    }

    [Theory]
    [InlineData("permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination", "", null)]
    [InlineData("", "permit_mynetworks, reject_unauth_destination", null)]
    [InlineData("", "warn_if_reject reject_unauth_destination", "in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, specify at least one working instance of: reject_unauth_destination, defer_unauth_destination, reject, defer, defer_if_permit or check_relay_domains")]
    [InlineData("permit_mynetworks, permit", "permit, reject_unauth_destination", "in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, specify at least one working instance of: reject_unauth_destination, defer_unauth_destination, reject, defer, defer_if_permit or check_relay_domains")]
    [InlineData("", "", "in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, specify at least one working instance of: reject_unauth_destination, defer_unauth_destination, reject, defer, defer_if_permit or check_relay_domains")]
    public void MandatoryRelayGuard(string relay, string recipient, string? fatal)
    {
        Assert.Equal(fatal, RelayGuard.Check(relay, recipient));
        if (fatal is not null)
        {
            var e = Assert.Throws<ConfigException>(() => PolicyTestKit.Policy(Settings with
            {
                SmtpdRelayRestrictions = relay,
                SmtpdRecipientRestrictions = recipient,
            }));
            Assert.Equal(fatal, e.Message);
        }
    }

    [Fact]
    public void MissingAccessTableIsAStartupError()
    {
        var e = Assert.Throws<ConfigException>(() => PolicyTestKit.Policy(Settings with
        {
            SmtpdClientRestrictions = "check_client_access hash:/nonexistent/access",
        }));
        Assert.Contains("/nonexistent/access", e.Message);
    }

    [Fact]
    public async Task SystemResolverFindsLocalhost()
    {
        Assert.Equal(DomainLookupStatus.Found, await new SystemDnsDomainResolver().LookupMailHostAsync("localhost", default));
    }
}

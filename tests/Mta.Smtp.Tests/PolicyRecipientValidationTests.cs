using static Mta.Smtp.Tests.PolicyTestKit;

namespace Mta.Smtp.Tests;

/// <summary>reject_unlisted_recipient (smtpd_reject_unlisted_recipient = yes) per address class, and unlisted senders.</summary>
public sealed class PolicyRecipientValidationTests
{
    private static readonly Mta.Smtp.Policy.SmtpdPolicy Policy = PolicyTestKit.Policy(Settings with
    {
        LocalRecipientMaps = "inline:{alice=x, bob@example.com=y}",
        VirtualAliasDomains = "valias.example",
        VirtualAliasMaps = "inline:{info@valias.example=alice@example.com}",
        VirtualMailboxDomains = "vmail.example",
        VirtualMailboxMaps = "inline:{u@vmail.example=u/}",
        RelayRecipientMaps = "inline:{ok@relay.example=x}",
        RecipientDelimiter = "+",
    });

    [Theory]
    [InlineData("alice@example.com", null)]
    [InlineData("ALICE@Example.COM", null)]
    [InlineData("alice+tag@example.com", null)]
    [InlineData("bob@example.com", null)]
    [InlineData("alice", null)]
    [InlineData("postmaster@example.com", null)]
    [InlineData("MAILER-DAEMON@example.com", null)]
    [InlineData("double-bounce@example.com", null)]
    [InlineData("carol@example.com", "550 5.1.1 <carol@example.com>: Recipient address rejected: User unknown in local recipient table")]
    [InlineData("info@valias.example", null)]
    [InlineData("other@valias.example", "550 5.1.1 <other@valias.example>: Recipient address rejected: User unknown in virtual alias table")]
    [InlineData("u@vmail.example", null)]
    [InlineData("x@vmail.example", "550 5.1.1 <x@vmail.example>: Recipient address rejected: User unknown in virtual mailbox table")]
    [InlineData("ok@relay.example", null)]
    [InlineData("no@relay.example", "550 5.1.1 <no@relay.example>: Recipient address rejected: User unknown in relay recipient table")]
    [InlineData("anyone@remote.example", "454 4.7.1 <anyone@remote.example>: Relay access denied")]
    public async Task UnknownRecipientsAreRejectedAtRcpt(string recipient, string? expected)
    {
        Assert.Equal(expected, await Policy.Rcpt(Session(), recipient));
    }

    [Fact]
    public async Task TableNameIsHiddenWhenAsked()
    {
        var policy = PolicyTestKit.Policy(Settings with
        {
            LocalRecipientMaps = "inline:{alice=x}",
            ShowUserUnknownTableName = false,
        });
        Assert.Equal("550 5.1.1 <carol@example.com>: Recipient address rejected: User unknown",
            await policy.Rcpt(Session(), "carol@example.com"));
    }

    [Fact]
    public async Task EmptyLocalRecipientMapsAcceptsEveryLocalUser()
    {
        Assert.Null(await PolicyTestKit.Policy().Rcpt(Session(), "whoever@example.com"));
    }

    [Fact]
    public async Task CanonicalOrAliasEntriesCountAsKnown()
    {
        var policy = PolicyTestKit.Policy(Settings with
        {
            LocalRecipientMaps = "inline:{alice=x}",
            CanonicalMaps = "inline:{carol@example.com=alice@example.com}",
        });
        Assert.Null(await policy.Rcpt(Session(), "carol@example.com"));
    }

    [Fact]
    public async Task UnlistedSendersAreRejectedWhenAsked()
    {
        var policy = PolicyTestKit.Policy(Settings with
        {
            LocalRecipientMaps = "inline:{alice=x}",
            SmtpdRejectUnlistedSender = true,
        });
        Assert.Equal("550 5.1.0 <ghost@example.com>: Sender address rejected: User unknown in local recipient table",
            await policy.Rcpt(Session(), "alice@example.com", "ghost@example.com"));
        Assert.Null(await policy.Rcpt(Session(), "alice@example.com", "alice@example.com"));
        Assert.Null(await policy.Rcpt(Session(), "alice@example.com", "someone@remote.example"));
    }

    [Fact]
    public async Task AliasesCountAsLocalRecipientsBeforeNewaliasesRan()
    {
        var dir = Directory.CreateTempSubdirectory("mta-aliases-").FullName;
        try
        {
            var aliases = Path.Combine(dir, "aliases");
            File.WriteAllText(aliases, "# aliases\npostmaster: root\nsales: alice, bob@example.net\n");
            var policy = PolicyTestKit.Policy(Settings with
            {
                AliasMaps = "hash:" + aliases,
                LocalRecipientMaps = "proxy:unix:passwd.byname hash:" + aliases,
            });
            Assert.Null(await policy.Rcpt(Session(), "sales@example.com"));
            Assert.Null(await policy.Rcpt(Session(), "root@example.com"));
            Assert.Equal("550 5.1.1 <sales:@example.com>: Recipient address rejected: User unknown in local recipient table",
                await policy.Rcpt(Session(), "sales:@example.com"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task FailingRecipientTableDefers()
    {
        var policy = PolicyTestKit.Policy(Settings with { LocalRecipientMaps = "fail:broken" });
        Assert.Equal("451 4.3.0 <alice@example.com>: Temporary lookup failure", await policy.Rcpt(Session(), "alice@example.com"));
    }
}

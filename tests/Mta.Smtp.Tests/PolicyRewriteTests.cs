using Mta.Smtp.Policy;
using static Mta.Smtp.Tests.PolicyTestKit;

namespace Mta.Smtp.Tests;

/// <summary>cleanup's canonical and virtual alias rewriting, recipient_delimiter propagation and always_bcc.</summary>
public sealed class PolicyRewriteTests
{
    private static async Task<IReadOnlyList<string>> Rewrite(SmtpdPolicySettings settings, string recipient) =>
        await PolicyTestKit.Policy(settings).RewriteRecipientAsync(Session(), recipient, default);

    [Fact]
    public async Task SenderCanonicalAppliesBeforeCanonical()
    {
        var policy = PolicyTestKit.Policy(Settings with
        {
            SenderCanonicalMaps = "inline:{a@old.example=b@mid.example}",
            CanonicalMaps = "inline:{b@mid.example=c@new.example, @legacy.example=@new.example}",
        });
        Assert.Equal("c@new.example", await policy.RewriteSenderAsync(Session(), "a@old.example", default));
        Assert.Equal("bob@new.example", await policy.RewriteSenderAsync(Session(), "bob@legacy.example", default));
        Assert.Equal("", await policy.RewriteSenderAsync(Session(), "", default));
        Assert.Equal("carol@mx.example.com", await policy.RewriteSenderAsync(Session(), "carol", default));
    }

    [Theory]
    [InlineData("info@a.example", new[] { "bob@x.example", "carol@y.example" })]
    [InlineData("chain@a.example", new[] { "end@z.example" })]
    [InlineData("self@a.example", new[] { "self@a.example", "copy@z.example" })]
    [InlineData("user+tag@a.example", new[] { "real+tag@b.example" })]
    [InlineData("bare@a.example", new[] { "local@mx.example.com" })]
    [InlineData("x@catchall.example", new[] { "x@other.example" })]
    [InlineData("nobody@elsewhere.example", new[] { "nobody@elsewhere.example" })]
    public async Task VirtualAliasExpansion(string recipient, string[] expected)
    {
        var settings = Settings with
        {
            RecipientDelimiter = "+",
            VirtualAliasMaps = "inline:{ {info@a.example = bob@x.example, carol@y.example}, chain@a.example=mid@a.example, "
                               + "mid@a.example=end@z.example, {self@a.example=self@a.example, copy@z.example}, "
                               + "user@a.example=real@b.example, bare@a.example=local, @catchall.example=@other.example }",
        };
        Assert.Equal(expected, await Rewrite(settings, recipient));
    }

    [Fact]
    public async Task AliasLoopStopsAtRecursionLimit()
    {
        var log = new List<string>();
        var policy = PolicyTestKit.Policy(Settings with
        {
            VirtualAliasMaps = "inline:{a@a.example=b@a.example, b@a.example=a@a.example}",
            VirtualAliasRecursionLimit = 20,
        }, log);
        var e = await Assert.ThrowsAsync<AddressRewriteException>(async () =>
            await policy.RewriteRecipientAsync(Session(), "a@a.example", default));
        Assert.Equal("451 4.6.0 Error: Alias expansion error", e.Reply.ToString());
        Assert.Contains(log, l => l.Contains("unreasonable virtual_alias_maps map nesting for a@a.example"));
    }

    [Fact]
    public async Task AliasExpansionSizeIsBounded()
    {
        var policy = PolicyTestKit.Policy(Settings with
        {
            VirtualAliasMaps = "inline:{{list@a.example=a@x.example, b@x.example, c@x.example}}",
            VirtualAliasExpansionLimit = 2,
        });
        var e = await Assert.ThrowsAsync<AddressRewriteException>(async () =>
            await policy.RewriteRecipientAsync(Session(), "list@a.example", default));
        Assert.Equal(451, e.Reply.Code);
    }

    [Fact]
    public async Task RecipientCanonicalThenVirtual()
    {
        var settings = Settings with
        {
            RecipientCanonicalMaps = "inline:{old@example.com=new@example.com}",
            VirtualAliasMaps = "inline:{new@example.com=final@example.net}",
        };
        Assert.Equal(["final@example.net"], await Rewrite(settings, "old@example.com"));
    }

    [Fact]
    public async Task ExtensionsAreNotPropagatedWhenTurnedOff()
    {
        var settings = Settings with
        {
            RecipientDelimiter = "+",
            PropagateUnmatchedExtensions = "canonical",
            VirtualAliasMaps = "inline:{user@a.example=real@b.example}",
        };
        Assert.Equal(["real@b.example"], await Rewrite(settings, "user+tag@a.example"));
    }

    [Fact]
    public async Task AlwaysBccAndSenderBcc()
    {
        var policy = PolicyTestKit.Policy(Settings with
        {
            AlwaysBcc = "archive@example.com",
            SenderBccMaps = "inline:{@example.org=audit@example.com}",
        });
        Assert.Equal(["archive@example.com", "audit@example.com"],
            await policy.AddedRecipientsAsync(Session(), "bob@example.org", default));
        Assert.Equal(["archive@example.com"], await policy.AddedRecipientsAsync(Session(), "", default));
    }
}

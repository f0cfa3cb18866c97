using Mta.Delivery.Routing;

namespace Mta.Delivery.Tests.Routing;

/// <summary>dsn_valid(3)/dsn_split(3) as relocated_maps results with relocated_prefix_enable = no need them.</summary>
public sealed class DsnTextTests
{
    [Theory]
    [InlineData("5.1.1 account closed", "5.1.1", "account closed")]
    [InlineData("4.2.100   full for now", "4.2.100", "full for now")]
    [InlineData("2.0.0", "2.0.0", "")]
    [InlineData("5.1.1\taway", "5.1.1", "away")]
    public void ValidStatusIsSplitFromItsText(string reply, string status, string text) =>
        Assert.Equal((status, text), DsnText.Split(reply));

    [Theory]
    [InlineData("account closed")]
    [InlineData("3.1.1 wrong class")]
    [InlineData("5.1000.1 subject too long")]
    [InlineData("5.1.1000 detail too long")]
    [InlineData("5.1. no detail")]
    [InlineData("5.1.1x glued text")]
    [InlineData(" 5.1.1 leading space")]
    [InlineData("")]
    public void TextWithoutAValidLeadingStatusHasNone(string reply) =>
        Assert.Null(DsnText.Split(reply));
}

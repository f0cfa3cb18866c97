using System.Text;
using Mta.Delivery.Notices;
using MimeKit;

namespace Mta.Delivery.Tests.Notices;

/// <summary>Addresses in notices are in external form, as Postfix's quote_822_local() writes them.</summary>
public sealed class AddressQuotingTests
{
    [Theory]
    [InlineData("alice@example.org", "alice@example.org")]
    [InlineData("first.last@example.org", "first.last@example.org")]
    [InlineData("john doe@example.org", "\"john doe\"@example.org")]
    [InlineData("a..b@example.org", "\"a..b\"@example.org")]
    [InlineData(".a@example.org", "\".a\"@example.org")]
    [InlineData("a\"b@example.org", "\"a\\\"b\"@example.org")]
    [InlineData("user(x)@example.org", "\"user(x)\"@example.org")]
    [InlineData("jürgen@bücher.example", "jürgen@bücher.example")]
    [InlineData("postmaster", "postmaster")]
    public void QuotesLocalPartsThatAreNotDotStrings(string address, string external)
    {
        Assert.Equal(external, AddressQuoting.External(address));
    }

    [Fact]
    public async Task NoticeShowsQuotedSenderAndRecipient()
    {
        await using var bed = new NoticeTestBed();
        var original = await bed.EnqueueAsync("john doe@example.org", "mary smith@remote.example");

        var id = await bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "mary smith@remote.example")], default);

        var (queued, raw, mime) = await bed.ReadAsync(id!.Value);
        Assert.Equal("john doe@example.org", queued.Envelope.Recipients[0].Address);
        Assert.Equal("\"john doe\"@example.org", mime.Headers[HeaderId.To]);
        var text = Encoding.UTF8.GetString(raw);
        Assert.Contains("\r\nX-Postfix-Sender: rfc822; \"john doe\"@example.org\r\n", text);
        Assert.Contains("\r\nFinal-Recipient: rfc822; \"mary smith\"@remote.example\r\n", text);
        Assert.Contains("\r\n<\"mary smith\"@remote.example>: host", text);
        Assert.Contains("\r\nReturn-Path: <\"john doe\"@example.org>\r\n", text);
    }
}

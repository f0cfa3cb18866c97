using Mta.Config.Lists;

namespace Mta.Config.Tests;

/// <summary>List splitting (mystrtokq with CHARS_COMMA_SP and { }), /file/name entries and type:table references.</summary>
public class ListTests
{
    public static TheoryData<string, string[]> Splits => new()
    {
        { "", [] },
        { "  ,, \t", [] },
        { "a,b", ["a", "b"] },
        { "a, b  c\td\ne\r", ["a", "b", "c", "d", "e"] },
        { "$myhostname, localhost.$mydomain, localhost", ["$myhostname", "localhost.$mydomain", "localhost"] },
        { "permit_mynetworks, reject_unauth_destination", ["permit_mynetworks", "reject_unauth_destination"] },
        { "inline:{ a=b, c=d }, hash:/etc/x", ["inline:{ a=b, c=d }", "hash:/etc/x"] },
        { "{a, b} c", ["{a, b}", "c"] },
        { "x{a {b, c} d}y z", ["x{a {b, c} d}y", "z"] },
        { "a} b", ["a}", "b"] },
        { "{unclosed, x", ["{unclosed, x"] },
    };

    [Theory]
    [MemberData(nameof(Splits))]
    public void SplitsOnCommasAndWhiteSpaceKeepingBraceGroups(string text, string[] expected) =>
        Assert.Equal(expected, ConfigList.Split(text));

    [Theory]
    [InlineData("hash:/etc/postfix/virtual", "hash", "/etc/postfix/virtual")]
    [InlineData("inline:{a=b}", "inline", "{a=b}")]
    [InlineData("redis:aliases", "redis", "aliases")]
    [InlineData("proxy:unix:passwd.byname", "proxy", "unix:passwd.byname")]
    public void RecognisesTableReferences(string item, string type, string name)
    {
        Assert.True(TableReference.TryParse(item, out var table));
        Assert.Equal(new TableReference(type, name), table);
        Assert.Equal(item, table.ToString());
    }

    [Theory]
    [InlineData("[::1]")]
    [InlineData("[2001:db8::1]/64")]
    [InlineData("example.com")]
    [InlineData("/etc/file")]
    [InlineData("")]
    public void OtherItemsAreNotTables(string item) => Assert.False(TableReference.TryParse(item, out _));

    [Fact]
    public void FileEntriesAreReplacedByTheirContents()
    {
        var files = new Dictionary<string, string>
        {
            ["/etc/postfix/nets"] = "# trusted networks\n10.0.0.0/8, 192.168.0.0/16\n  172.16.0.0/12\n!10.1.0.0/16\n",
        };
        var items = MatchListParser.Parse("127.0.0.0/8 /etc/postfix/nets, hash:/etc/postfix/access", "mynetworks", p => files[p]);
        Assert.Equal(
        [
            new MatchListItem("127.0.0.0/8", false),
            new MatchListItem("10.0.0.0/8", false),
            new MatchListItem("192.168.0.0/16", false),
            new MatchListItem("172.16.0.0/12", false),
            new MatchListItem("10.1.0.0/16", true),
            new MatchListItem("hash:/etc/postfix/access", false),
        ], items);
        Assert.Equal(new TableReference("hash", "/etc/postfix/access"), items[^1].Table);
        Assert.Null(items[0].Table);
    }

    [Fact]
    public void NegatedFileNegatesEveryEntryAndDoubleNegationCancels()
    {
        var items = MatchListParser.Parse("!/f, !!x", "p", _ => "a\n!b\n");
        Assert.Equal([new MatchListItem("a", true), new MatchListItem("b", false), new MatchListItem("x", false)], items);
    }

    [Fact]
    public void UnreadableFileDegradesLikePostfix()
    {
        var items = MatchListParser.Parse("/nonexistent/mta-test-file", "mynetworks");
        var item = Assert.Single(items);
        Assert.Equal("open file /nonexistent/mta-test-file: No such file or directory", item.FileError);
        Assert.Null(item.Table);
    }

    [Fact]
    public void RealFileIsRead()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "a.example b.example\n");
            Assert.Equal(["a.example", "b.example"], MatchListParser.Parse(path, "relay_domains").Select(i => i.Pattern));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BangWithoutPatternIsFatal()
    {
        var e = Assert.Throws<ConfigException>(() => MatchListParser.Parse("a, !", "mynetworks"));
        Assert.Equal("mynetworks: no pattern after '!'", e.Message);
    }
}

using Mta.Config.MainCf;

namespace Mta.Config.Tests;

/// <summary>postconf(5) syntax rules: logical lines, comments, continuations, white space, duplicates, errors.</summary>
public class MainCfSyntaxTests
{
    private const string Path = "/etc/postfix/main.cf";

    public static TheoryData<string, string, string> Values => new()
    {
        // main.cf text, parameter, raw value Postfix stores
        { "myhostname = mx.example\n", "myhostname", "mx.example" },
        { "myhostname=mx.example", "myhostname", "mx.example" },
        { "myhostname   =   mx.example   \t\n", "myhostname", "mx.example" },
        { "myhostname =\n", "myhostname", "" },
        { "# comment\n\n   \nmyhostname = a\n", "myhostname", "a" },
        { "   # indented comment\nmyhostname = a\n", "myhostname", "a" },
        { "mydestination = a,\n  b,\n\tc\n", "mydestination", "a,  b,\tc" },
        { "mydestination = a\n\n  b\n", "mydestination", "a  b" },
        { "mydestination = a\n#c\n  b\n", "mydestination", "a  b" },
        { "mydestination = a\n  # not a value\n  b\n", "mydestination", "a  b" },
        { "mydestination = a # not a comment\n", "mydestination", "a # not a comment" },
        { "myhostname = a\nmyhostname = b\n", "myhostname", "b" },
        { "myhostname = a = b\n", "myhostname", "a = b" },
        { "myhostname = a\r\n", "myhostname", "a" },
        { "myhostname = no newline at end", "myhostname", "no newline at end" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void StoresRawValueLikePostfix(string text, string name, string expected)
    {
        var file = MainCfFile.Parse(text, Path);
        Assert.Equal(expected, file.GetValue(name));
    }

    [PostconfTheory]
    [MemberData(nameof(Values))]
    public void RealPostconfPrintsTheSameValue(string text, string name, string expected)
    {
        using var postconf = new RealPostconf(text);
        var (stdout, _, exit) = postconf.Run("-h", name);
        Assert.Equal(0, exit);
        Assert.Equal(Normalize.Words(expected), stdout.TrimEnd('\n'));
    }

    public static TheoryData<string, string> Errors => new()
    {
        { "myhostname = a\n\nfoo\n", "/etc/postfix/main.cf, line 3: missing '=' after attribute name: \"foo\"" },
        { "foo bar = x\n", "/etc/postfix/main.cf, line 1: missing '=' after attribute name: \"foo bar = x\"" },
        { "= x\n", "/etc/postfix/main.cf, line 1: missing attribute name: \"= x\"" },
        { "a = 1\nfoo\n  continued\n", "/etc/postfix/main.cf, line 2: missing '=' after attribute name: \"foo  continued\"" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void SyntaxErrorsHavePostfixText(string text, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => MainCfFile.Parse(text, Path));
        Assert.Equal(expected, e.Message);
    }

    [PostconfTheory]
    [MemberData(nameof(Errors))]
    public void RealPostconfReportsTheSameError(string text, string expected)
    {
        using var postconf = new RealPostconf(text);
        var (_, stderr, exit) = postconf.Run("-n");
        Assert.NotEqual(0, exit);
        var ours = Assert.Throws<ConfigException>(() => MainCfFile.Parse(text, postconf.MainCfPath));
        Assert.Equal(RealPostconf.Fatal(stderr), ours.Message);
        Assert.Equal(expected, ours.Message.Replace(postconf.MainCfPath, Path));
    }

    [Fact]
    public void DuplicateKeepsFirstPositionLastValueAndWarns()
    {
        var file = MainCfFile.Parse("myhostname = a\nrelayhost = r\nmyhostname = b\n", Path);
        Assert.Equal(["myhostname", "relayhost"], file.Entries.Select(e => e.Name));
        Assert.Equal(new MainCfEntry("myhostname", "b", 3), file.Entries[0]);
        Assert.Equal(["/etc/postfix/main.cf, line 3: overriding earlier entry: myhostname=a"], file.Warnings);
    }

    [PostconfFact]
    public void DuplicateWarningMatchesRealPostconf()
    {
        using var postconf = new RealPostconf("myhostname = a\nrelayhost = r\nmyhostname = b\n");
        var (stdout, stderr, _) = postconf.Run("-n");
        var ours = MainCfFile.Parse(File.ReadAllText(postconf.MainCfPath), postconf.MainCfPath);
        Assert.Contains(ours.Warnings[0], RealPostconf.Warnings(stderr));
        Assert.Contains("myhostname = b\n", stdout);
    }

    [Fact]
    public void SameValueTwiceDoesNotWarn()
    {
        var file = MainCfFile.Parse("myhostname = a\nmyhostname = a\n", Path);
        Assert.Empty(file.Warnings);
    }

    [Fact]
    public void LeadingWhiteSpaceAtStartIsDroppedWithPostfixWarning()
    {
        var file = MainCfFile.Parse(" leading = 1\n  more\nmyhostname = a\n", Path);
        Assert.Equal(["myhostname"], file.Entries.Select(e => e.Name));
        Assert.Equal(["/etc/postfix/main.cf: logical line must not start with whitespace: \" leading = 1  more\""], file.Warnings);
    }

    [PostconfFact]
    public void LeadingWhiteSpaceWarningMatchesRealPostconf()
    {
        using var postconf = new RealPostconf(" leading = 1\nmyhostname = a\n");
        var (_, stderr, _) = postconf.Run("-n");
        var ours = MainCfFile.Parse(File.ReadAllText(postconf.MainCfPath), postconf.MainCfPath);
        Assert.Contains(ours.Warnings[0], RealPostconf.Warnings(stderr));
    }

    [Fact]
    public void EntriesRememberTheirFirstLine()
    {
        var file = MainCfFile.Parse("# c\n\nmydestination = a,\n  b\nrelayhost = r\n", Path);
        Assert.Equal(3, file.Entries[0].Line);
        Assert.Equal(5, file.Entries[1].Line);
    }

    [Fact]
    public void MissingFileIsPostfixOpenError()
    {
        var e = Assert.Throws<ConfigException>(() => MainCfFile.Load("/nonexistent/dir/main.cf"));
        Assert.Equal("open /nonexistent/dir/main.cf: No such file or directory", e.Message);
    }
}

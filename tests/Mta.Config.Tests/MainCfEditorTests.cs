using Mta.Config.MainCf;

namespace Mta.Config.Tests;

/// <summary>postconf -e / -X / -# text edits, byte-compared with the real postconf's result.</summary>
public class MainCfEditorTests
{
    private const string Original = """
        # Global settings
        myhostname = mx.example.com
        mydestination = $myhostname,
            localhost.$mydomain,
        # inside a continuation
            localhost

        relayhost = [relay.example]:587
        myhostname = again.example.com
        smtpd_banner = $myhostname ESMTP
        no_newline_at_end = x
        """ + "\n";

    public static TheoryData<string, string[]> Edits => new()
    {
        { "-e", ["relayhost=[other.example]"] },
        { "-e", ["mydestination = a, b"] },
        { "-e", ["myhostname=new.example"] },
        { "-e", ["zzz_new = 1", "relayhost ="] },
        { "-e", ["no_newline_at_end=y"] },
        { "-X", ["mydestination"] },
        { "-X", ["myhostname", "relayhost", "absent"] },
        { "-#", ["mydestination"] },
        { "-#", ["myhostname", "no_newline_at_end"] },
    };

    [PostconfTheory]
    [MemberData(nameof(Edits))]
    public void EditsMatchRealPostconf(string option, string[] arguments)
    {
        using var postconf = new RealPostconf(Original);
        var (_, stderr, exit) = postconf.Run([option, .. arguments]);
        Assert.True(exit == 0, string.Join("\n", stderr));
        var expected = File.ReadAllText(postconf.MainCfPath);

        var result = Apply(option, Original, postconf.MainCfPath, arguments);
        Assert.Equal(expected, result.Text);
        Assert.All(result.Warnings, w => Assert.Contains(w, RealPostconf.Warnings(stderr)));
    }

    [Fact]
    public void MissingFinalNewlineIsAddedAsPostfix311Does()
    {
        // Postfix 3.11 (postfix-3.11-20250323) terminates a last line without newline before appending;
        // Debian's 3.7 glued the new setting onto it ("x = 1y = 2"). We follow the fixed behaviour.
        Assert.Equal("x = 1\ny = 2\n", MainCfEditor.Set("x = 1", "main.cf", ["y=2"]).Text);
        Assert.Equal("#x = 1\n", MainCfEditor.CommentOut("x = 1", "main.cf", ["x"]).Text);
    }

    // Postfix 3.11 (postfix-3.11-20250920) appends new names sorted; 3.7 used hash-table order.
    [Fact]
    public void SetReplacesInPlaceAndAppendsSortedNewNames()
    {
        var result = MainCfEditor.Set("b = 1\n  cont\n# c\na = 2\n", "main.cf", ["z=9", "b=3", "c = 4"]);
        Assert.Equal("b = 3\n# c\na = 2\nc = 4\nz = 9\n", result.Text);
    }

    [Fact]
    public void CommentOutPrefixesContinuationLines()
    {
        var result = MainCfEditor.CommentOut("b = 1\n  cont\na = 2\n", "main.cf", ["b"]);
        Assert.Equal("#b = 1\n#  cont\na = 2\n", result.Text);
    }

    [Fact]
    public void MultipleEntriesAreReported()
    {
        var result = MainCfEditor.Remove(Original, "/etc/postfix/main.cf", ["myhostname"]);
        Assert.Equal(["/etc/postfix/main.cf: multiple entries for \"myhostname\""], result.Warnings);
        Assert.DoesNotContain("myhostname =", result.Text);
    }

    [Theory]
    [InlineData("-e", "a=1\nb=2", "-e, -X, or -# accepts no multi-line input")]
    [InlineData("-e", "  # a=1", "-e, -X, or -# accepts no comment input")]
    [InlineData("-e", "novalue", "missing '=' after attribute name: \"novalue\"")]
    [InlineData("-e", "=x", "missing attribute name: \"=x\"")]
    [InlineData("-X", " ", "-X or -# requires non-blank parameter names")]
    [InlineData("-#", "a=b", "-X or -# requires parameter names without value")]
    public void BadArgumentsHavePostfixTexts(string option, string argument, string message)
    {
        var e = Assert.Throws<ConfigException>(() => Apply(option, "a = 1\n", "main.cf", [argument]));
        Assert.Equal(message, e.Message);
    }

    [PostconfTheory]
    [InlineData("-e", "novalue")]
    [InlineData("-e", "=x")]
    [InlineData("-X", " ")]
    [InlineData("-e", "a=1\nb=2")]
    public void BadArgumentTextsMatchRealPostconf(string option, string argument)
    {
        using var postconf = new RealPostconf("a = 1\n");
        var (_, stderr, exit) = postconf.Run(option, argument);
        Assert.NotEqual(0, exit);
        var e = Assert.Throws<ConfigException>(() => Apply(option, "a = 1\n", "main.cf", [argument]));
        Assert.Equal(RealPostconf.Fatal(stderr), e.Message);
    }

    [Fact]
    public void ConflictingRequestsWarn()
    {
        var result = MainCfEditor.Set("", "main.cf", ["a=1", "a=2"]);
        Assert.Equal("a = 2\n", result.Text);
        Assert.Equal(["ignoring earlier request: 'a = 1'"], result.Warnings);
    }

    private static MainCfEditor.Result Apply(string option, string text, string path, string[] arguments) => option switch
    {
        "-e" => MainCfEditor.Set(text, path, arguments),
        "-X" => MainCfEditor.Remove(text, path, arguments),
        _ => MainCfEditor.CommentOut(text, path, arguments),
    };
}

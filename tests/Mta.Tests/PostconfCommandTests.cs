namespace Mta.Tests;

/// <summary>
/// postconf edits and errors, each compared with Debian's postconf on its own copy of the same files:
/// the resulting main.cf, stdout, stderr and exit status must be identical.
/// </summary>
public sealed class PostconfCommandTests
{
    private const string MainCf = """
        # edited by the tests
        myhostname = mx.example.com
        relayhost = [old.example]
            :587
        mydestination = $myhostname, localhost
        # a comment between settings
        smtpd_banner = $myhostname ESMTP
        """;

    public static TheoryData<string[]> Edits() => new()
    {
        new[] { "-e", "relayhost=[new.example]:25" },
        new[] { "relayhost = [implied.example]", "message_size_limit=1000" },
        // One new name only: Debian's 3.7 appends several in random hash order (3.11 and Mta sort them).
        new[] { "-e", "zzz_new = 1", "myhostname=mx2.example.com" },
        new[] { "-X", "relayhost", "nonexistent" },
        new[] { "-#", "relayhost", "smtpd_banner" },
        new[] { "-e", "# comment = x" },
        new[] { "-X", "name=value" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void EditsMainCfLikePostconf(string[] args)
    {
        using var real = new TempConfig(MainCf + "\n");
        using var ours = new TempConfig(MainCf + "\n");
        var realResult = ProcessRunner.Postfix(["-c", real.Directory, .. args]);
        var ourResult = ProcessRunner.Mta(["postconf", "-c", ours.Directory, .. args]);
        Assert.Equal(File.ReadAllText(real.MainCf), File.ReadAllText(ours.MainCf));
        Assert.Equal(realResult.Stdout, ourResult.Stdout);
        Assert.Equal(realResult.Stderr.Replace(real.Directory, "DIR"), ourResult.Stderr.Replace(ours.Directory, "DIR"));
        Assert.Equal(realResult.ExitCode, ourResult.ExitCode);
    }

    public static TheoryData<string[]> Errors() => new()
    {
        new[] { "-d", "-n" },
        new[] { "-M", "-h", "-n" },
        new[] { "-F", "-n" },
        new[] { "-e" },
        new[] { "-z" },
        new[] { "-o", "novalue" },
        new[] { "-M", "a/b/c" },
        new[] { "-F", "smtp/inet/nosuchfield" },
        new[] { "-h", "bogus", "myhostname" },
        new[] { "-H", "myhostname", "relayhost" },
        new[] { "-c" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void ReportsUsageErrorsLikePostconf(string[] args)
    {
        using var config = new TempConfig(MainCf + "\n");
        var withDirectory = args is ["-c"] ? args : ["-c", config.Directory, .. args];
        var real = ProcessRunner.Postfix(withDirectory);
        var ours = ProcessRunner.Mta(["postconf", .. withDirectory]);
        Assert.Equal(real.Stdout, ours.Stdout);
        Assert.Equal(real.Stderr, ours.Stderr);
        Assert.Equal(real.ExitCode, ours.ExitCode);
    }

    [Theory]
    [InlineData("host")]
    [InlineData("subnet")]
    [InlineData("class")]
    public void MyNetworksFollowsTheStyleAndTheHostsInterfaces(string style)
    {
        using var config = new TempConfig($"mynetworks_style = {style}\n");
        var real = ProcessRunner.Postfix("-c", config.Directory, "-x", "mynetworks", "mydomain", "myhostname");
        var ours = ProcessRunner.Mta("postconf", "-c", config.Directory, "-x", "mynetworks", "mydomain", "myhostname");
        Assert.Equal(real.Stdout, ours.Stdout);
    }

    [Fact]
    public void UnusedWarningsAreSortedByName()
    {
        using var config = new TempConfig("zebra = 1\nalpha = 2\nmiddle = $undefined_one\n");
        var result = ProcessRunner.Mta("postconf", "-c", config.Directory, "-n");
        Assert.Equal("", result.Stdout.Replace($"config_directory = {config.Directory}\n", ""));
        Assert.Equal(
            $"postconf: warning: {config.Directory}/main.cf: undefined parameter: undefined_one\n" +
            $"postconf: warning: {config.Directory}/main.cf: unused parameter: alpha=2\n" +
            $"postconf: warning: {config.Directory}/main.cf: unused parameter: middle=$undefined_one\n" +
            $"postconf: warning: {config.Directory}/main.cf: unused parameter: zebra=1\n", result.Stderr);
    }
}

using Mta.Tests.Master;

namespace Mta.Tests.Commands;

/// <summary>
/// postmap and postalias build and query tables with the lookup results, messages and exit codes of Debian's
/// real postmap/postalias on the same source text (their Berkeley DB file differs from ours; what -q answers must not).
/// </summary>
public sealed class TableCommandTests : IDisposable
{
    private readonly TempConfig _config = new("compatibility_level = 3.6\n", masterCf: null);

    private string Source(string name) => Path.Combine(_config.Directory, name);

    private const string AccessSource = """
        # an access(5)-style table
        Example.COM      OK
        user@Example.com REJECT no thanks
        1.2.3            DUNNO
        key3
          continued   value
        multi  word   value  here
        EXAMPLE.com      duplicate
        badline
        trailing:        colon

        """;

    private const string AccessKeys = "example.com\nEXAMPLE.COM\nuser@example.com\nUSER@EXAMPLE.COM\n1.2.3\nkey3\nmulti\nbadline\ntrailing:\nnope\n";

    private const string AliasesSource = """
        # aliases(5)
        MAILER-DAEMON: postmaster
        postmaster: root
        Root:   admin@example.com,  backup@example.com
        "quoted name": someone
        team: a@example.com,
           b@example.com,
           c@example.com
        pipe: "|/usr/bin/procmail -a x"
        bad@name: x
        noval:
        root: duplicate

        """;

    private const string AliasKeys = "mailer-daemon\nMAILER-DAEMON\npostmaster\nroot\nquoted name\nteam\npipe\nbad@name\nnoval\n@\nnope\n";

    [Fact]
    public void PostmapBuildWarningsAndLookupsMatchRealPostmap()
    {
        var table = "hash:" + Source("access");
        File.WriteAllText(Source("access"), AccessSource);

        var real = Compare("postmap", table, AccessKeys, RealPostfixTool.Run);
        var ours = Compare("postmap", table, AccessKeys, Ours);

        Assert.Equal(real, ours);
        Assert.Contains($"postmap: warning: {Source("access")}.db: duplicate entry: \"example.com\"\n", ours.BuildError);
        Assert.Contains($"postmap: warning: {Source("access")}, line 9: expected format: key whitespace value\n", ours.BuildError);
        Assert.Contains("user@example.com\tREJECT no thanks\n", ours.Lookups);
    }

    [Fact]
    public void PostaliasBuildWarningsAndLookupsMatchRealPostalias()
    {
        var table = "hash:" + Source("aliases");
        File.WriteAllText(Source("aliases"), AliasesSource);

        var real = Compare("postalias", table, AliasKeys, RealPostfixTool.Run);
        var ours = Compare("postalias", table, AliasKeys, Ours);

        Assert.Equal(real, ours);
        Assert.Contains($"postalias: warning: {Source("aliases")}, line 10: name must be local\n", ours.BuildError);
        Assert.Contains("team:\ta@example.com, b@example.com, c@example.com\n", ours.Lookups);
        Assert.Contains("@:\t@\n", ours.Lookups);
    }

    [Theory]
    [InlineData("postmap", new[] { "-q", "x", "/nonexistent/table" })]
    [InlineData("postalias", new[] { "-q", "x", "/nonexistent/aliases" })]
    [InlineData("postmap", new[] { "/nonexistent/table" })]
    [InlineData("postmap", new[] { "-q" })]
    [InlineData("postmap", new[] { "-x", "table" })]
    [InlineData("postmap", new[] { "-s", "-q", "x", "table" })]
    [InlineData("postalias", new[] { "-z" })]
    public void ErrorsMatchRealTools(string program, string[] args)
    {
        string[] withConfig = ["-c", _config.Directory, .. args];
        var real = RealPostfixTool.Run(program, null, withConfig);
        var ours = Ours(program, null, withConfig);
        Assert.Equal(real, ours);
        Assert.NotEqual(0, ours.Status);
    }

    [Fact]
    public void TexthashIsQueriedButNotBuiltAndSequenceListsEveryEntry()
    {
        File.WriteAllText(Source("plain"), "Alpha 1\nbeta 2\n");
        var query = Ours("postmap", null, "-c", _config.Directory, "-q", "ALPHA", "texthash:" + Source("plain"));
        Assert.Equal((0, "1\n", ""), query);
        var build = Ours("postmap", null, "-c", _config.Directory, "texthash:" + Source("plain"));
        Assert.Equal((1, "", "postmap: fatal: unsupported dictionary type: texthash does not support bulk-mode creation.\n"), build);

        Assert.Equal(0, Ours("postmap", null, "-c", _config.Directory, Source("plain")).Status);
        Assert.Equal((0, "alpha\t1\nbeta\t2\n", ""), Ours("postmap", null, "-c", _config.Directory, "-s", Source("plain")));
        Assert.Equal(0, Ours("postmap", null, "-c", _config.Directory, "-d", "beta", Source("plain")).Status);
        Assert.Equal((1, "", ""), Ours("postmap", null, "-c", _config.Directory, "-q", "beta", Source("plain")));
    }

    [Fact]
    public void NewaliasesAndSendmailDashBiBuildAliasDatabase()
    {
        using var mta = new MtaInstance($"alias_database = hash:{Source("aliases")}\n");
        File.WriteAllText(Source("aliases"), "postmaster: root\nroot: admin@example.com\n");

        Assert.Equal((0, "", ""), MtaInstance.Run("newaliases", "-C", mta.ConfigDirectory));
        Assert.True(File.Exists(Source("aliases") + ".db"));
        Assert.Equal((0, "admin@example.com\n", ""), Ours("postalias", null, "-c", mta.ConfigDirectory, "-q", "ROOT", Source("aliases")));

        File.WriteAllText(Source("aliases"), "postmaster: root\nroot: other@example.com\n");
        Assert.Equal((0, "", ""), MtaInstance.Run("sendmail", "-C", mta.ConfigDirectory, "-bi"));
        Assert.Equal((0, "other@example.com\n", ""), Ours("postalias", null, "-c", mta.ConfigDirectory, "-q", "root", Source("aliases")));

        File.Delete(Source("aliases"));
        Assert.Equal((1, "", $"postalias: fatal: open {Source("aliases")}: No such file or directory\n"),
            MtaInstance.Run("newaliases", "-C", mta.ConfigDirectory));
    }

    private sealed record Results(int BuildStatus, string BuildError, int LookupStatus, string Lookups, int FoundStatus, string Found,
        int MissingStatus, string Missing);

    private delegate (int Status, string Output, string Error) Tool(string program, string? stdin, params string[] args);

    /// <summary>Builds the table, looks every key up ("-q -"), then one key that exists and one that does not.</summary>
    private Results Compare(string program, string table, string keys, Tool tool)
    {
        var build = tool(program, null, "-c", _config.Directory, table);
        var lookups = tool(program, keys, "-c", _config.Directory, "-q", "-", table);
        var found = tool(program, null, "-c", _config.Directory, "-q", keys.Split('\n')[1], table);
        var missing = tool(program, null, "-c", _config.Directory, "-q", "nope", table);
        return new Results(build.Status, build.Output + build.Error, lookups.Status, lookups.Output + lookups.Error,
            found.Status, found.Output + found.Error, missing.Status, missing.Output + missing.Error);
    }

    private static (int Status, string Output, string Error) Ours(string program, string? stdin, params string[] args) =>
        MtaInstance.Run(stdin, TimeSpan.FromSeconds(30), [program, .. args]);

    public void Dispose() => _config.Dispose();
}

using Mta.Config.Tables;

namespace Mta.Config.Tests;

public sealed class TablesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mta-tables-").FullName;
    private readonly List<string> _warnings = new();
    private readonly LookupTableFactory _factory = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TableOpenOptions Options => new(Warn: _warnings.Add, ReloadCheckInterval: TimeSpan.Zero);

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<string?> Get(ILookupTable table, string key) => await table.LookupAsync(key);

    [Fact]
    public async Task PostmapSourceSyntaxHasCommentsContinuationAndFoldsKeys()
    {
        var path = WriteFile("access", "# comment\nExample.COM  REJECT spam\n  from here\n\n   # indented comment\nuser@x.org OK\nexample.com DUNNO\n");
        var table = _factory.Open("hash:" + path, Options);
        Assert.True(table.IsFixed);
        Assert.Equal("REJECT spam  from here", await Get(table, "EXAMPLE.com"));
        Assert.Equal("OK", await Get(table, "user@X.org"));
        Assert.Null(await Get(table, "other"));
        Assert.Contains(_warnings, w => w.Contains("line 7: duplicate entry: \"example.com\""));
    }

    [Fact]
    public async Task IndexedFileIsPreferredOverSourceAndRereadWhenRebuilt()
    {
        var path = WriteFile("virtual", "a@x.org b@y.org\n");
        var table = _factory.Open("lmdb:" + path, Options);
        Assert.Equal("b@y.org", await Get(table, "a@x.org"));

        IndexedTableFile.Write(IndexedTableFile.IndexedPath("lmdb", path),
            TableSourceParser.Parse(new StringReader("a@x.org c@z.org\nk v\n"), "test", TableOpenOptions.Default));
        Assert.True(File.Exists(path + ".lmdb"));
        Assert.Equal("c@z.org", await Get(table, "a@x.org"));
        Assert.Equal("v", await Get(table, "K"));
    }

    [Fact]
    public void IndexedFileRoundTripsInKeyOrder()
    {
        var path = Path.Combine(_dir, "t.db");
        IndexedTableFile.Write(path, [new("b", "2"), new("a", "1 one"), new("é", "3"), new("a", "dup")]);
        Assert.True(IndexedTableFile.IsOurFormat(path));
        var entries = IndexedTableFile.Read(path);
        Assert.Equal(["a", "b", "é"], entries.Select(e => e.Key));
        Assert.Equal("1 one", entries[0].Value);
    }

    [Fact]
    public async Task ForeignIndexedFileFallsBackToSourceWithWarning()
    {
        var path = WriteFile("aliases", "root: admin@example.com\n\"odd name\": x\n");
        File.WriteAllBytes(path + ".db", [0, 6, 21, 97, 0, 0, 0, 2]);
        var table = _factory.Open("hash:" + path, Options with { AliasSyntax = true });
        Assert.Equal("admin@example.com", await Get(table, "ROOT"));
        Assert.Equal("x", await Get(table, "odd name"));
        Assert.Contains(_warnings, w => w.Contains("not in our indexed format"));
    }

    [Fact]
    public async Task TexthashReadsSourceEvenWhenAnIndexedFileExists()
    {
        var path = WriteFile("t", "k source\n");
        IndexedTableFile.Write(path + ".db", [new("k", "indexed")]);
        Assert.Equal("source", await Get(_factory.Open("texthash:" + path, Options), "k"));
        Assert.Equal("indexed", await Get(_factory.Open("hash:" + path, Options), "k"));
    }

    [Theory]
    [InlineData("inline:{ k1=v1, { k2 = v 2 } }", "k1", "v1")]
    [InlineData("inline:{ k1=v1, { k2 = v 2 } }", "K2", "v 2")]
    [InlineData("inline:{ k1=v1, { k2 = v 2 } }", "k3", null)]
    [InlineData("static:OK", "anything", "OK")]
    [InlineData("static:{ text with spaces }", "x", "text with spaces")]
    [InlineData("cidr:{ {192.0.2.0/24 REJECT net}, {2001:db8::/32 OK v6}, {0.0.0.0/0 DUNNO} }", "192.0.2.7", "REJECT net")]
    [InlineData("cidr:{ {192.0.2.0/24 REJECT net}, {2001:db8::/32 OK v6}, {0.0.0.0/0 DUNNO} }", "2001:db8::1", "OK v6")]
    [InlineData("cidr:{ {192.0.2.0/24 REJECT net}, {2001:db8::/32 OK v6}, {0.0.0.0/0 DUNNO} }", "198.51.100.1", "DUNNO")]
    [InlineData("cidr:{ {192.0.2.0/24 REJECT net} }", "not-an-ip", null)]
    [InlineData("regexp:{{/^[^A-Z]/ Bogus}}", "get", null)]
    [InlineData("regexp:{{/^[^A-Z]/ Bogus}}", "1abc", "Bogus")]
    [InlineData("regexp:{{/^(.*)@(.*)$/ $2 user=${1} $$}}", "Joe@Example.org", "Example.org user=Joe $")]
    [InlineData("regexp:{{/^ABC$/i exact-case}}", "abc", null)]
    [InlineData("regexp:{{/^ABC$/i exact-case}}", "ABC", "exact-case")]
    [InlineData("regexp:{{!/@example\\.com$/ foreign}}", "a@example.com", null)]
    [InlineData("regexp:{{!/@example\\.com$/ foreign}}", "a@other.net", "foreign")]
    [InlineData("regexp:{{/^[[:digit:]]+$/ numeric}}", "12345", "numeric")]
    [InlineData("pcre:{{/^(\\d+)\\.(\\d+)$/ $2.$1}}", "12.34", "34.12")]
    [InlineData("proxy:inline:{a=b}", "a", "b")]
    public async Task InlineAndPatternTypes(string reference, string key, string? expected)
    {
        Assert.Equal(expected, await Get(_factory.Open(reference, Options), key));
    }

    [Fact]
    public async Task RegexpFileHasIfEndifAndFirstMatchWins()
    {
        var path = WriteFile("re", "if /@example\\.com$/\n/^admin@/ ADMIN\n/./ MEMBER\nendif\n/./ OTHER\n/^admin/ NEVER\n");
        var table = _factory.Open("regexp:" + path, Options);
        Assert.False(table.IsFixed);
        Assert.Equal("ADMIN", await Get(table, "admin@example.com"));
        Assert.Equal("MEMBER", await Get(table, "bob@example.com"));
        Assert.Equal("OTHER", await Get(table, "admin@elsewhere.org"));
    }

    [Fact]
    public async Task CidrFileSkipsBadRulesAndHonoursNegationAndIf()
    {
        var path = WriteFile("c", "10.0.0.1/8 BAD\nif 10.0.0.0/8\n!10.1.0.0/16 NOT-TEN-ONE\nendif\n[::1] LOOP\n");
        var table = _factory.Open("cidr:" + path, Options);
        Assert.Contains(_warnings, w => w.Contains("non-null host address bits in \"10.0.0.1/8\""));
        Assert.Equal("NOT-TEN-ONE", await Get(table, "10.2.3.4"));
        Assert.Null(await Get(table, "10.1.3.4"));
        Assert.Equal("LOOP", await Get(table, "::1"));
    }

    [Fact]
    public async Task FailTableThrowsLookupErrors()
    {
        var table = _factory.Open("fail:oops", Options);
        var e = await Assert.ThrowsAsync<TableLookupException>(async () => await table.LookupAsync("x"));
        Assert.Equal("fail:oops", e.Reference);
    }

    [Theory]
    [InlineData("nosuchtype:/x", "unsupported dictionary type: nosuchtype")]
    [InlineData("inline:k=v", "bad syntax")]
    [InlineData("inline:{ novalue }", "missing '='")]
    [InlineData("/etc/postfix/access", "need dictionary type:name")]
    public void BadReferencesAreClearErrors(string reference, string fragment)
    {
        var e = Assert.Throws<TableLookupException>(() => _factory.Open(reference, Options));
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public async Task RegisteredTypePlugsIn()
    {
        _factory.Register("memory", (t, n, _) => new InMemoryTable($"{t}:{n}", [new("key", "from " + n)]));
        Assert.True(_factory.IsRegistered("MEMORY"));
        Assert.Equal("from shard1", await Get(_factory.Open("memory:shard1"), "key"));
        Assert.Same(_factory.Open("memory:shard1"), _factory.Open("memory:shard1"));
    }

    [Fact]
    public async Task UnixPasswdTableListsSystemUsers()
    {
        var table = _factory.Open("proxy:unix:passwd.byname");
        Assert.StartsWith("root:", await Get(table, "root"));
        Assert.Null(await Get(table, "no-such-user-here"));
    }

    [Fact]
    public void MissingFileIsAnOpenError()
    {
        var e = Assert.Throws<TableLookupException>(() => _factory.Open("hash:" + Path.Combine(_dir, "absent"), Options));
        Assert.Contains("open database", e.Message);
    }
}

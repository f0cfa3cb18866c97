using Mta.Config.Expansion;

namespace Mta.Config.Tests;

/// <summary>$-expansion (mac_expand): every form, checked against the real postconf where it is installed.</summary>
public class MacroExpansionTests
{
    // Definitions every case can reference; "empty" is defined but empty, "undef" is not defined at all.
    private const string Definitions =
        "host = mx.example\ndom = example.org\nempty =\nnum = 10\nlevel = 3.10\nnested = $host.$dom\nlit = $$dollar\n";

    private static string? Lookup(string name) => name switch
    {
        "host" => "mx.example",
        "dom" => "example.org",
        "empty" => "",
        "num" => "10",
        "level" => "3.10",
        "nested" => "$host.$dom",
        "lit" => "$$dollar",
        _ => null,
    };

    public static TheoryData<string, string> Cases => new()
    {
        { "plain text", "plain text" },
        { "$host", "mx.example" },
        { "${host}", "mx.example" },
        { "$(host)", "mx.example" },
        { "a$host.b", "amx.example.b" },
        { "$host-$dom", "mx.example-example.org" },
        { "$$", "$" },
        { "$$host", "$host" },
        { "$lit", "$dollar" },
        { "$nested", "mx.example.example.org" },
        { "[$undef]", "[]" },
        { "${host?yes}", "yes" },
        { "${empty?yes}", "" },
        { "${undef?yes}", "" },
        { "${host?{yes}}", "yes" },
        { "${host? {yes} }", "yes" },
        { "${host:no}", "" },
        { "${empty:no}", "no" },
        { "${undef:no}", "no" },
        { "${undef:{no}}", "no" },
        { "${host?{a}:{b}}", "a" },
        { "${empty?{a}:{b}}", "b" },
        { "${host ? {a} : {b}}", "a" },
        { "${host?{a}:b}", "a" },
        { "${empty?{a}:b c}", "b c" },
        { "${host?{ spaced }}", " spaced " },
        { "${host?$dom}", "example.org" },
        { "${host?{$dom}:{$host}}", "example.org" },
        { "${host??x:{y}z}", "?x:{y}z" },
        { "${{a} == {a} ? {eq} : {ne}}", "eq" },
        { "${{a} != {a} ? {ne} : {eq}}", "eq" },
        { "${{$host} == {mx.example}?{eq}:{ne}}", "eq" },
        { "${{10} < {9} ? {lt} : {ge}}", "ge" },
        { "${{abc} < {abd} ? {lt} : {ge}}", "lt" },
        { "${{10} <= {10} ? {le} : {gt}}", "le" },
        { "${{10} > {9} ? {gt} : {le}}", "gt" },
        { "${{10} >= {11} ? {ge} : {lt}}", "lt" },
        { "${{10} > {9x} ? {gt} : {le}}", "le" },
        { "${{a} == {a}}", "true" },
        { "${{a} == {b}}", "" },
        { "${{a}=={a}?yes}", "yes" },
        { "${{a}=={b}:no}", "no" },
        { "${{3.10} <level {3.9} ? {lt} : {ge}}", "ge" },
        { "${{3.10} >level {3.9} ? {gt} : {le}}", "gt" },
        { "${{$level} >=level {3.10} ? {ge} : {lt}}", "ge" },
        { "${{2} <level {3.6} ? {lt} : {ge}}", "lt" },
        { "${{0} <level {1} ? {old} : {new}}", "old" },
        { "${{3.11.1} >level {3.11} ? {gt} : {le}}", "gt" },
        { "${{3.6} ==level {3.6.0} ? {eq} : {ne}}", "eq" },
        { "${{1} !=level {2} ? {ne} : {eq}}", "ne" },
        { "${{1} <=level {1} ? {le} : {gt}}", "le" },
        { "${{$num} == {10} ? {${host?{$dom}}} : {x}}", "example.org" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExpandsLikePostfix(string pattern, string expected)
    {
        var result = MacroExpander.Expand(pattern, Lookup);
        Assert.False(result.IsError, string.Join("; ", result.Warnings));
        Assert.Equal(expected, result.Text);
    }

    [PostconfFact]
    public void RealPostconfExpandsEveryCaseTheSame()
    {
        // One postconf run for all cases: each pattern becomes parameter tN, referenced by "x" so that
        // postconf -nx prints it (white space normalized).
        var cases = Cases.Select(row => ((string)row[0], (string)row[1])).ToList();
        var text = new System.Text.StringBuilder(Definitions);
        for (int i = 0; i < cases.Count; i++)
            text.Append($"t{i} = {cases[i].Item1}\n");
        text.Append("x = $host $dom $empty $num $level $nested $lit ")
            .AppendJoin(' ', Enumerable.Range(0, cases.Count).Select(i => $"$t{i}")).Append('\n');
        using var postconf = new RealPostconf(text.ToString());
        var (stdout, stderr, exit) = postconf.Run("-nx");
        Assert.True(exit == 0, string.Join("\n", stderr));
        var printed = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(" =", 2))
            .ToDictionary(p => p[0], p => p[1].TrimStart(' '));
        var mismatches = cases.Select((c, i) => (c.Item1, Want: Normalize.Words(c.Item2), Got: printed[$"t{i}"]))
            .Where(c => c.Want != c.Got)
            .Select(c => $"{c.Item1}: postconf {c.Got}, expected {c.Want}")
            .ToList();
        Assert.Empty(mismatches);
    }

    public static TheoryData<string, string> SyntaxErrors => new()
    {
        { "${{1} <> {2}}", "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" expected at: \"...1}>>><> {2}\"" },
        { "${{x} ==level {2}}", "malformed compatibility level syntax: \"x\"" },
        { "${{1} <lvl {2}}", "bad operator suffix at: \"...<>>>lvl\"" },
        { "${a b}x", "attribute name syntax error at: \"...a>>> b\"" },
        { "${host?{x}junk}", "\":\" expected at: \"...x}>>>junk\"" },
        { "${host?{x}:{y}junk}", "unexpected input at: \"...y}>>>junk\"" },
        { "${{a} == {a} junk}", "\"?\" or \":\" expected at: \"...}>>>junk\"" },
        { "${{a} == x}", "\"{expression}\" expected at: \"...{a} ==>>> x\"" },
        { "${host?{x}", "truncated macro reference: \"${host?{x}\"" },
        { "${host?{x}:{y}", "truncated macro reference: \"${host?{x}:{y}\"" },
        { "${{a} == {a}", "truncated macro reference: \"${{a} == {a}\"" },
        { "${host?{x}:{y}}}", "" },
        { "$", "" },
        { "${}", "empty macro name: \"${}\"" },
        { "$.", "empty macro name: \"$.\"" },
    };

    [Theory]
    [MemberData(nameof(SyntaxErrors))]
    public void SyntaxErrorsWarnWithPostfixText(string pattern, string warning)
    {
        var result = MacroExpander.Expand(pattern, Lookup);
        if (warning.Length == 0)
            return; // trailing text or a bare '$': see the differential test below
        Assert.True(result.IsError);
        Assert.Equal(warning, result.Warnings[0]);
    }

    [PostconfTheory]
    [MemberData(nameof(SyntaxErrors))]
    public void RealPostconfAgreesOnErrors(string pattern, string _)
    {
        using var postconf = new RealPostconf(Definitions + "smtpd_banner = " + pattern + "\nx = $host $dom $empty $num $level $nested $lit\n");
        var (stdout, stderr, exit) = postconf.Run("-xh", "smtpd_banner");
        var ours = MacroExpander.Expand(pattern, Lookup);
        Assert.Equal(exit != 0, ours.IsError);
        if (ours.IsError)
            Assert.Equal(ours.Warnings[0], RealPostconf.Warnings(stderr).First(w => !w.Contains("undefined parameter")));
        else
            Assert.Equal(Normalize.Words(ours.Text), stdout.TrimEnd('\n'));
    }

    [Fact]
    public void UndefinedNamesAreRecordedOnceInOrder()
    {
        var result = MacroExpander.Expand("$b $a ${b?x} ${c:y} ${{$d} == {}?{e}}", Lookup);
        Assert.False(result.IsError);
        Assert.Equal(["b", "a", "c", "d"], result.UndefinedNames);
    }

    [Fact]
    public void SelfReferenceHitsTheNestingLimit()
    {
        string? lookup(string n) => n switch { "myhostname" => "$x", "x" => "a.$myhostname", _ => null };
        // Postfix expands a parameter's raw value, so the top-level pattern is myhostname's "$x".
        var result = MacroExpander.Expand("$x", lookup);
        Assert.True(result.IsError);
        Assert.Equal(["unreasonable macro call nesting: \"a.\"", "unreasonable macro call nesting: \"myhostname\""], result.Warnings);
    }

    [PostconfFact]
    public void RealPostconfReportsTheSameNestingWarnings()
    {
        using var postconf = new RealPostconf("myhostname = $x\nx = a.$myhostname\n");
        var (_, stderr, exit) = postconf.Run("-x", "myhostname");
        Assert.NotEqual(0, exit);
        Assert.Equal(["unreasonable macro call nesting: \"a.\"", "unreasonable macro call nesting: \"myhostname\""],
            RealPostconf.Warnings(stderr));
        Assert.Equal("dictionary mail_dict: macro processing error", RealPostconf.Fatal(stderr));
    }

    [Fact]
    public void SelfComparisonStopsInsteadOfOverflowingTheStack()
    {
        // Postfix's postconf dies with SIGSEGV on this; we report the nesting error.
        string? lookup(string n) => n == "smtpd_banner" ? "${{$smtpd_banner} == {x}?{a}:{b}}" : null;
        var result = MacroExpander.Expand(lookup("smtpd_banner")!, lookup);
        Assert.True(result.IsError);
        Assert.StartsWith("unreasonable macro call nesting: ", result.Warnings[0]);
    }

    [Fact]
    public void DeepButFiniteNestingIsFine()
    {
        // 40 levels of indirection stay under Postfix's limit of 100 nested calls.
        string? lookup(string n) => n.StartsWith('p') && int.Parse(n[1..]) < 40 ? "$p" + (int.Parse(n[1..]) + 1) : n == "p40" ? "end" : null;
        Assert.Equal("end", MacroExpander.Expand("$p0", lookup).Text);
    }

    [Fact]
    public void NonRecursiveExpansionStopsAfterOneLevel()
    {
        Assert.Equal("$host.$dom", MacroExpander.Expand("$nested", Lookup, recursive: false).Text);
    }

    [Fact]
    public void ReferencedNamesScansEveryBranch()
    {
        Assert.Equal(["a", "b", "c", "d", "e"], MacroExpander.ReferencedNames("${a?{$b}:{$c}} ${{$d} == {x} ? {$e}}"));
    }
}

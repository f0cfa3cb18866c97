using System.Text.RegularExpressions;

namespace Mta.Deploy.Tests;

/// <summary>
/// Pulls the metric names out of a PromQL expression: whatever identifier is left once label matchers, ranges,
/// grouping clauses, strings, numbers, function calls and keywords are taken out.
/// </summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords =
        ["and", "or", "unless", "bool", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "inf", "nan"];

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = Braces().Replace(expression, " ");
        text = Brackets().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        text = Offset().Replace(text, " ");
        text = Strings().Replace(text, " ");
        text = Numbers().Replace(text, " ");
        return Identifiers().Matches(text)
            .Where(m => !Keywords.Contains(m.Groups[1].Value.ToLowerInvariant()) && !m.Groups[2].Success)
            .Select(m => m.Groups[1].Value)
            .ToHashSet();
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\boffset\s+-?[0-9a-z$_]+")]
    private static partial Regex Offset();

    [GeneratedRegex(@"""[^""]*""|'[^']*'")]
    private static partial Regex Strings();

    [GeneratedRegex(@"(?<![A-Za-z_:0-9])\d+(\.\d+)?([eE][+-]?\d+)?")]
    private static partial Regex Numbers();

    [GeneratedRegex(@"([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?")]
    private static partial Regex Identifiers();
}

using Mta.Delivery.Notices;

namespace Mta.Delivery.Tests.Notices;

/// <summary>Postfix's line_wrap() as bounce(8) uses it: 79 columns, continuation lines indented by 4.</summary>
public sealed class LineWrapTests
{
    public static TheoryData<string, string[]> Cases => new()
    {
        { "short line", ["short line"] },
        { "", [""] },
        { "trailing blanks   ", ["trailing blanks"] },
        {
            "<a@example.com>: " + string.Join(' ', Enumerable.Repeat("word", 20)),
            [
                "<a@example.com>: word word word word word word word word word word word word",
                "    word word word word word word word word",
            ]
        },
        {
            // A word longer than the width is never split.
            "x " + new string('y', 100) + " z",
            ["x", "    " + new string('y', 100), "    z"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void WrapsAsPostfix(string text, string[] expected)
    {
        Assert.Equal(expected, LineWrap.Wrap(text));
    }

    [Fact]
    public void NoLineIsWiderThanTheWidthUnlessOneWordIs()
    {
        var lines = LineWrap.Wrap(string.Join(' ', Enumerable.Range(0, 200).Select(i => $"w{i}")));

        Assert.All(lines, l => Assert.True(l.Length <= 79, l));
        Assert.All(lines.Skip(1), l => Assert.StartsWith("    ", l));
        Assert.Equal(string.Join(' ', Enumerable.Range(0, 200).Select(i => $"w{i}")), string.Join(' ', lines.Select(l => l.Trim())));
    }
}

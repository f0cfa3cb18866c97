namespace Mta.Config.Tests;

/// <summary>compatibility_level parsing and ordering (compat_level.c): parts compare as numbers.</summary>
public class CompatibilityLevelTests
{
    [Theory]
    [InlineData("0", "1", -1)]
    [InlineData("2", "3.6", -1)]
    [InlineData("3.9", "3.10", -1)]
    [InlineData("3.10", "3.9", 1)]
    [InlineData("3.11", "3.11.1", -1)]
    [InlineData("3.6", "3.6.0", 0)]
    [InlineData("3.11.1", "3.11.1", 0)]
    [InlineData("10", "9.99", 1)]
    public void ComparesPartByPart(string a, string b, int sign) =>
        Assert.Equal(sign, Math.Sign(CompatibilityLevel.Parse(a).CompareTo(CompatibilityLevel.Parse(b))));

    [Theory]
    [InlineData("0", "0")]
    [InlineData("2", "2")]
    [InlineData("3.6", "3.6")]
    [InlineData("3.6.0", "3.6")]
    [InlineData("3.11.1", "3.11.1")]
    public void PrintsLikePostfix(string text, string printed) =>
        Assert.Equal(printed, CompatibilityLevel.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("3.")]
    [InlineData(".3")]
    [InlineData("3.6.1.2")]
    [InlineData("-1")]
    [InlineData("3.1024")]
    [InlineData("3 ")]
    public void MalformedLevelsAreRejectedWithPostfixText(string text)
    {
        var e = Assert.Throws<ConfigException>(() => CompatibilityLevel.Parse(text));
        Assert.Equal($"malformed compatibility level syntax: \"{text}\"", e.Message);
    }
}

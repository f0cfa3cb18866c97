using Mta.Delivery.Qmgr;

namespace Mta.Delivery.Tests.Qmgr;

/// <summary>delay= and delays= values as Postfix's format_tv prints them (2 significant digits, resolution limit).</summary>
public sealed class DelayTextTests
{
    [Theory]
    [InlineData(0.0, 2, "0")]
    [InlineData(0.004, 2, "0")]
    [InlineData(0.005, 2, "0.01")]
    [InlineData(0.0123, 2, "0.01")]
    [InlineData(0.1, 2, "0.1")]
    [InlineData(0.123, 2, "0.12")]
    [InlineData(0.999, 2, "1")]
    [InlineData(1.04, 2, "1")]
    [InlineData(1.2, 2, "1.2")]
    [InlineData(1.25, 2, "1.3")]
    [InlineData(9.96, 2, "10")]
    [InlineData(10.4, 2, "10")]
    [InlineData(10.5, 2, "11")]
    [InlineData(307106.2, 2, "307106")]
    [InlineData(0.4, 0, "0")]
    [InlineData(0.5, 0, "1")]
    [InlineData(0.123456, 6, "0.12")]
    [InlineData(0.000123, 6, "0.00012")]
    [InlineData(-3.0, 2, "0")]
    public void FormatsLikePostfix(double seconds, int resolution, string expected) =>
        Assert.Equal(expected, DelayText.Format(TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)), resolution));
}

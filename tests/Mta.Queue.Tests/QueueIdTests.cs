using System.Text.RegularExpressions;
using Mta.Queue.Ids;

namespace Mta.Queue.Tests;

public class QueueIdTests
{
    private static readonly Regex LogParserPattern = new("^" + QueueId.Pattern + "$");

    [Fact]
    public void GeneratedIdsMatchTheLongQueueIdSyntaxAndCarryTheTime()
    {
        var now = DateTimeOffset.UtcNow;
        var id = new LongQueueIdGenerator(7).Next();
        Assert.Matches(LogParserPattern, id.Value);
        Assert.True(QueueId.TryGetTime(id.Value, out var time));
        Assert.InRange(time, now.AddSeconds(-1), now.AddSeconds(5));
    }

    [Theory]
    // Postfix's encoding: seconds base 52 padded to 6, microseconds base 52 padded to 4, 'z', base-51 suffix.
    [InlineData(0L, 0, 0UL, "0000000000z0")]
    [InlineData(52L, 53, 51UL, "0000100011z10")]
    [InlineData(1_700_000_000L, 999_999, 1UL, "4SVLCh75plz1")]
    public void EncodesLikePostfix(long seconds, int micros, ulong suffix, string expected)
    {
        Assert.Equal(expected, QueueId.Create(seconds, micros, suffix).Value);
        Assert.True(QueueId.TryGetTime(expected, out var time));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(micros * 10L), time);
    }

    [Fact]
    public void TimeFieldsNeverContainTheSeparator()
    {
        // 51 is 'z' in base 52; the largest smaller value without it is "yy" style digits.
        Assert.Equal(50UL, SafeAlphabet.LargestWithoutSeparator(51));
        Assert.Equal(52UL * 50 + 50, SafeAlphabet.LargestWithoutSeparator(52 * 51 + 3));
        Assert.Equal(52UL * 52, SafeAlphabet.LargestWithoutSeparator(52 * 52));
    }

    [Fact]
    public void ReadsRealPostfixLongIds()
    {
        // From Postfix's documentation of the long form; its time part may itself contain 'z' (found with strrchr).
        Assert.True(QueueId.TryGetTime("41yYhh41qmznjbD", out var time));
        Assert.Equal(new DateTime(2018, 8, 25, 23, 7, 48), time.UtcDateTime.AddTicks(-(time.UtcDateTime.Ticks % TimeSpan.TicksPerSecond)));
        Assert.True(QueueId.IsValid("4XyzBC1234zB5"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("3F2A1B")]
    [InlineData("4cDpBN7Gz1")]
    [InlineData("4cDpBN7GFNz")]
    [InlineData("4cDpBN7GFNzA")]
    [InlineData("../../etc/pz1")]
    public void RejectsWhatIsNotALongId(string text) => Assert.False(QueueId.IsValid(text));
}

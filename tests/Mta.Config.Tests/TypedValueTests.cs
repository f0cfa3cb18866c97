namespace Mta.Config.Tests;

/// <summary>Typed parameter conversion with Postfix's fatal texts (mail_conf_*.c, conv_time.c).</summary>
public class TypedValueTests
{
    [Theory]
    [InlineData("yes", true)]
    [InlineData("YES", true)]
    [InlineData("Yes", true)]
    [InlineData("no", false)]
    [InlineData("NO", false)]
    public void BooleansAreYesOrNoInAnyCase(string value, bool expected) =>
        Assert.Equal(expected, TypedValueParser.ParseBool("disable_vrfy_command", value));

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("y")]
    [InlineData("")]
    [InlineData(" yes")]
    public void OtherBooleansAreFatal(string value)
    {
        var e = Assert.Throws<ConfigException>(() => TypedValueParser.ParseBool("disable_vrfy_command", value));
        Assert.Equal($"bad boolean configuration: disable_vrfy_command = {value}", e.Message);
    }

    [Theory]
    [InlineData("100", 100)]
    [InlineData("+7", 7)]
    [InlineData(" 42", 42)]
    [InlineData("0", 0)]
    [InlineData("2147483647", int.MaxValue)]
    public void IntegersParseLikeStrtol(string value, int expected) =>
        Assert.Equal(expected, TypedValueParser.ParseInt("smtpd_recipient_limit", value, 0, 0));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("10x")]
    [InlineData("10 ")]
    [InlineData("1.5")]
    [InlineData("2147483648")]
    [InlineData("99999999999999999999999")]
    public void BadIntegersAreFatal(string value)
    {
        var e = Assert.Throws<ConfigException>(() => TypedValueParser.ParseInt("smtpd_recipient_limit", value, 1, 0));
        Assert.Equal($"bad numerical configuration: smtpd_recipient_limit = {value}", e.Message);
    }

    [Theory]
    [InlineData("0", 1, 0, "invalid smtpd_recipient_limit parameter value 0 < 1")]
    [InlineData("-5", 1, 0, "invalid smtpd_recipient_limit parameter value -5 < 1")]
    [InlineData("11", 1, 10, "invalid smtpd_recipient_limit parameter value 11 > 10")]
    public void IntegerRangeViolationsAreFatal(string value, int min, int max, string message)
    {
        var e = Assert.Throws<ConfigException>(() => TypedValueParser.ParseInt("smtpd_recipient_limit", value, min, max));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ZeroBoundsMeanNoBoundAsInPostfix() =>
        Assert.Equal(-3, TypedValueParser.ParseInt("x", "-3", 0, 0));

    [Theory]
    [InlineData("10240000", 10240000L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void LongsParse(string value, long expected) =>
        Assert.Equal(expected, TypedValueParser.ParseLong("message_size_limit", value, 0, 0));

    [Theory]
    [InlineData("10MB", "bad numerical configuration: message_size_limit = 10MB")]
    [InlineData("9223372036854775808", "bad numerical configuration: message_size_limit = 9223372036854775808")]
    [InlineData("-1", "invalid message_size_limit parameter value -1 < 1")]
    public void BadLongsAreFatal(string value, string message)
    {
        var e = Assert.Throws<ConfigException>(() => TypedValueParser.ParseLong("message_size_limit", value, 1, 0));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("300s", 's', 300)]
    [InlineData("300", 's', 300)]
    [InlineData("5m", 's', 300)]
    [InlineData("2h", 's', 7200)]
    [InlineData("5d", 's', 432000)]
    [InlineData("1w", 's', 604800)]
    [InlineData("5", 'd', 432000)]
    [InlineData("4", 'h', 14400)]
    [InlineData("0", 'd', 0)]
    [InlineData("10sec", 's', 10)]
    [InlineData("s", 's', 0)]
    public void TimesTakeUnitsAndTheDefaultUnit(string value, char unit, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TypedValueParser.ParseTime("t", value, unit, 0, 0));

    [Theory]
    [InlineData("")]
    [InlineData("5x")]
    [InlineData("-5s")]
    [InlineData("5 s")]
    [InlineData("abc")]
    [InlineData("4000w")]
    [InlineData("99999999999s")]
    public void BadTimesAreFatal(string value)
    {
        var e = Assert.Throws<ConfigException>(() => TypedValueParser.ParseTime("maximal_queue_lifetime", value, 'd', 0, 0));
        Assert.Equal($"parameter maximal_queue_lifetime: bad time value or unit: {value}", e.Message);
    }

    [Theory]
    [InlineData("0s", 1, 0, "invalid smtpd_timeout: 0 (min 1)")]
    [InlineData("2h", 0, 3600, "invalid smtpd_timeout: 7200 (max 3600)")]
    public void TimeRangeViolationsAreFatal(string value, int min, int max, string message)
    {
        var e = Assert.Throws<ConfigException>(() => TypedValueParser.ParseTime("smtpd_timeout", value, 's', min, max));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("300s", 's')]
    [InlineData("5d", 'd')]
    [InlineData("1h", 'h')]
    [InlineData("300", null)]
    public void DefaultUnitIsTheDefaultTextsFirstLetter(string expandedDefault, char? unit) =>
        Assert.Equal(unit, TypedValueParser.UnitOfDefault(expandedDefault));
}

using Mta.Config;
using Mta.Delivery.Notices;

namespace Mta.Delivery.Tests.Notices;

/// <summary>bounce(8)'s parameters, bound once from main.cf with Postfix's defaults.</summary>
public sealed class NoticeSettingsTests
{
    private static NoticeSettings Bind(params (string Name, string Value)[] mainCf) =>
        NoticeSettings.From(new ParameterSet(ParameterCatalogue.All).WithOverrides(
            [new("myhostname", "mx.example.com"), .. mainCf.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))]));

    [Fact]
    public void DefaultsAreThoseOfPostfix()
    {
        var settings = Bind();

        Assert.Equal(NotifyClasses.Resource | NotifyClasses.Software, settings.NotifyClasses);
        Assert.Equal(50000, settings.BounceSizeLimit);
        Assert.Equal("postmaster", settings.BounceNoticeRecipient);
        Assert.Equal("postmaster", settings.DoubleBounceNoticeRecipient);
        Assert.Equal("postmaster", settings.DelayNoticeRecipient);
        Assert.Equal("postmaster", settings.ErrorNoticeRecipient);
        Assert.Equal("double-bounce@mx.example.com", settings.DoubleBounceAddress);
        Assert.Equal("mx.example.com", settings.MyOrigin);
        Assert.Equal(TimeSpan.Zero, settings.DelayWarningTime);
        Assert.Equal(TimeSpan.FromDays(5), settings.MaximalQueueLifetime);
        Assert.Equal("postfix/bounce", settings.ProgramName);
        Assert.True(settings.StandardFromFormat);
        Assert.False(settings.ThreadedBounces);
    }

    [Fact]
    public void NotifyClassesAreParsedCaseInsensitively()
    {
        Assert.Equal(NotifyClasses.Bounce | NotifyClasses.DoubleBounce | NotifyClasses.Delay,
            Bind(("notify_classes", "Bounce, 2bounce delay")).NotifyClasses);
    }

    [Fact]
    public void UnknownNotifyClassIsFatal()
    {
        var error = Assert.Throws<ConfigException>(() => Bind(("notify_classes", "bounce, bogus")));
        Assert.Equal("unknown notify_classes value \"bogus\" in \"bounce, bogus\"", error.Message);
    }

    [Fact]
    public void SyslogNameNamesTheBounceProgram()
    {
        Assert.Equal("postfix-out/bounce", Bind(("syslog_name", "postfix-out")).ProgramName);
    }

    [Theory]
    [InlineData("1h", "2d", "Your message could not be delivered for more than 1 hour(s).", "It will be retried until it is 2 day(s) old.")]
    [InlineData("90m", "36h", "Your message could not be delivered for more than 1 hour(s).", "It will be retried until it is 1 day(s) old.")]
    public void DelayTemplateTimesAreWholeUnits(string warning, string lifetime, string first, string second)
    {
        var text = NoticeTemplate.Delay.Expand(Bind(("delay_warning_time", warning), ("maximal_queue_lifetime", lifetime))).ToList();

        Assert.Contains(first, text);
        Assert.Contains(second, text);
    }
}

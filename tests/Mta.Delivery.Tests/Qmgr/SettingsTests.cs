using Mta.Config;
using Mta.Delivery.Qmgr;

namespace Mta.Delivery.Tests.Qmgr;

public sealed class SettingsTests
{
    private static ParameterSet Parameters(params (string Name, string Value)[] overrides) =>
        new ParameterSet(ParameterCatalogue.All).WithOverrides(overrides.Select(o => new KeyValuePair<string, string>(o.Name, o.Value)));

    [Fact]
    public void QueueManagerDefaultsArePostfixs()
    {
        var settings = QueueManagerSettings.From(Parameters());
        Assert.Equal(
            (TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(4000), TimeSpan.FromSeconds(300), TimeSpan.FromDays(5), TimeSpan.FromDays(5), TimeSpan.Zero),
            (settings.MinimalBackoffTime, settings.MaximalBackoffTime, settings.QueueRunDelay, settings.MaximalQueueLifetime, settings.BounceQueueLifetime, settings.DelayWarningTime));
        Assert.Equal((200, 2, false, "postfix/qmgr"), (settings.MessagesInFlight, settings.DelayLoggingResolution, settings.SoftBounce, settings.ProgramName));
        Assert.Equal(TimeSpan.FromSeconds(15), settings.LeaseDuration);
        Assert.Equal(50, QueueManagerSettings.From(Parameters(("qmgr_message_active_limit", "50"))).MessagesInFlight);
    }

    [Fact]
    public void SmtpInheritsTheDefaultDestinationKnobs()
    {
        var smtp = TransportSettings.From(Parameters(("default_destination_concurrency_limit", "7")), "smtp");
        Assert.Equal(new TransportSettings(5, 7, 50, TimeSpan.Zero, 100, "postfix/smtp"), smtp);
    }

    [Fact]
    public void LocalKeepsItsOwnBuiltInLimits()
    {
        // local_destination_concurrency_limit = 2 and local_destination_recipient_limit = 1; the initial window fits the limit.
        Assert.Equal(new TransportSettings(2, 2, 1, TimeSpan.Zero, 100, "postfix/local"), TransportSettings.From(Parameters(), "local"));
    }

    [Fact]
    public void PerTransportParametersWin()
    {
        var slow = TransportSettings.From(Parameters(("slow_destination_rate_delay", "10s"), ("slow_destination_recipient_limit", "0"),
            ("default_process_limit", "7")), "slow");
        // A rate delay means one delivery at a time; 0 recipients means no limit.
        Assert.Equal(new TransportSettings(1, 1, int.MaxValue, TimeSpan.FromSeconds(10), 7, "postfix/slow"), slow);
        var wide = TransportSettings.From(Parameters(("wide_destination_concurrency_limit", "0"), ("wide_initial_destination_concurrency", "3")), "wide");
        Assert.Equal((3, int.MaxValue), (wide.InitialConcurrency, wide.ConcurrencyLimit));
    }

    [Fact]
    public void ProgramNameFollowsTheServicesSyslogNameAndProcess()
    {
        // master.cf: relay unix - - n - - smtp -o syslog_name=postfix/$service_name (MasterService.Apply sets process_name).
        var relay = Parameters(("process_name", "smtp"), ("service_name", "relay"), ("syslog_name", "postfix/$service_name"));
        Assert.Equal("postfix/relay/smtp", TransportSettings.From(relay, "relay").ProgramName);
    }
}

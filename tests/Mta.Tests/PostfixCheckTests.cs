namespace Mta.Tests;

/// <summary>`mta postfix check`: main.cf and master.cf validated through the catalogue, Postfix's texts, exit codes.</summary>
public sealed class PostfixCheckTests
{
    private const string GoodMain = """
        compatibility_level = 3.6
        myhostname = mx.example.com
        mydomain = example.com
        mynetworks = 127.0.0.0/8
        smtpd_helo_required = yes
        message_size_limit = 20480000
        maximal_queue_lifetime = 3d
        smtpd_restriction_classes = strict
        strict = reject_unknown_sender_domain, reject
        queue_backend = redis
        redis_url = redis://127.0.0.1:6379/0

        """;

    private const string GoodMaster = """
        smtp      inet  n       -       n       -       -       smtpd
        submission inet n       -       n       -       -       smtpd
          -o smtpd_sasl_auth_enable=yes
          -o { smtpd_recipient_restrictions = permit_sasl_authenticated, reject }
        local     unix  -       n       n       -       -       local
        relay     unix  -       -       n       -       -       smtp

        """;

    private static CommandResult Check(TempConfig config) => ProcessRunner.Mta("postfix", "-c", config.Directory, "check");

    [Fact]
    public void AValidConfigurationPasses()
    {
        using var config = new TempConfig(GoodMain, GoodMaster);
        var result = Check(config);
        Assert.Equal(("", "", 0), (result.Stdout, result.Stderr, result.ExitCode));
    }

    [Theory]
    [InlineData("smtpd_helo_required = true", "line 12: bad boolean configuration: smtpd_helo_required = true")]
    [InlineData("smtpd_recipient_limit = lots", "line 12: bad numerical configuration: smtpd_recipient_limit = lots")]
    [InlineData("smtpd_recipient_limit = 0", "line 12: invalid smtpd_recipient_limit parameter value 0 < 1")]
    [InlineData("maximal_queue_lifetime = 3q", "line 12: parameter maximal_queue_lifetime: bad time value or unit: 3q")]
    [InlineData("message_size_limit = 10x", "line 12: bad numerical configuration: message_size_limit = 10x")]
    [InlineData("smtpd_banner = ${broken", "line 12: dictionary mail_dict: macro processing error")]
    public void BadValuesAreFatalWithFileAndLine(string setting, string expected)
    {
        using var config = new TempConfig(GoodMain + setting + "\n", GoodMaster);
        var result = Check(config);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"postfix/postfix-script: fatal: {config.MainCf}, {expected}\n", result.Stderr);
    }

    [Fact]
    public void AMissingEqualsSignIsFatal()
    {
        using var config = new TempConfig("myhostname = mx.example.com\nfoo\n", GoodMaster);
        var result = Check(config);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"postfix/postfix-script: fatal: {config.MainCf}, line 2: missing '=' after attribute name: \"foo\"\n", result.Stderr);
    }

    [Fact]
    public void AnOpenRelayIsRefused()
    {
        using var config = new TempConfig(GoodMain + "smtpd_relay_restrictions = permit_mynetworks, permit\n", GoodMaster);
        var result = Check(config);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("postfix/postfix-script: fatal: in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, " +
            "specify at least one working instance of: reject_unauth_destination, defer_unauth_destination, reject, defer, " +
            "defer_if_permit or check_relay_domains\n", result.Stderr);
    }

    [Fact]
    public void CompatibilityLevelZeroHasNoRelayGuard()
    {
        using var config = new TempConfig("myhostname = mx.example.com\n", "smtp inet n - n - - smtpd\n");
        Assert.Contains("specify at least one working instance of", Check(config).Stderr);
    }

    [Fact]
    public void ARestrictionClassCanCarryTheGuard()
    {
        using var config = new TempConfig(GoodMain + "smtpd_relay_restrictions = permit_mynetworks, strict\n", GoodMaster);
        Assert.Equal(0, Check(config).ExitCode);
    }

    [Fact]
    public void ServiceOverridesAreCheckedWithTheirMasterCfLine()
    {
        using var config = new TempConfig(GoodMain, GoodMaster.Replace("smtpd_sasl_auth_enable=yes", "smtpd_sasl_auth_enable=maybe"));
        var result = Check(config);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"postfix/postfix-script: fatal: {config.Directory}/master.cf, line 2: service submission/inet: " +
            "bad boolean configuration: smtpd_sasl_auth_enable = maybe\n", result.Stderr);
    }

    [Theory]
    [InlineData("mailbox_size_limit = 1000", "configuration error: mailbox_size_limit is smaller than message_size_limit")]
    [InlineData("maillog_file = /dev/stdout", "missing 'postlog' service in master.cf - run 'postfix upgrade-configuration'")]
    [InlineData("redis_url =", "queue_backend = redis requires a redis_url")]
    [InlineData("queue_backend = sqlite", "bad queue_backend value: sqlite; specify file or redis")]
    [InlineData("mynetworks_style = subnet host", "bad mynetworks_style value: subnet host; specify exactly one value")]
    [InlineData("compatibility_level = 3.x", "malformed compatibility level syntax: \"3.x\"")]
    public void CrossParameterRulesAreEnforced(string setting, string expected)
    {
        using var config = new TempConfig(GoodMain + setting + "\n", GoodMaster);
        var result = Check(config);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"postfix/postfix-script: fatal: {expected}\n", result.Stderr);
    }

    [Fact]
    public void AMissingMasterCfIsFatal()
    {
        using var config = new TempConfig(GoodMain, masterCf: null);
        var result = Check(config);
        Assert.Equal(($"postfix/postfix-script: fatal: no {config.Directory}/master.cf file found\n", 1), (result.Stderr, result.ExitCode));
    }

    [Fact]
    public void ABadMasterCfIsFatalWithItsLine()
    {
        using var config = new TempConfig(GoodMain, "smtp inet n - n - - smtpd\nbogus sideways n - n - - smtpd\n");
        var result = Check(config);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{config.Directory}/master.cf: line 2: ", result.Stderr);
        Assert.StartsWith("postfix/postfix-script: fatal: ", result.Stderr);
    }

    [Fact]
    public void UnusedParametersAreWarnedAboutButPass()
    {
        using var config = new TempConfig(GoodMain + "no_such_knob = 1\n", GoodMaster);
        var result = Check(config);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"postfix/postfix-script: warning: {config.MainCf}, line 12: unused parameter: no_such_knob=1\n", result.Stderr);
    }

    [Fact]
    public void UnknownPostfixCommandIsAFatalUsageError()
    {
        var result = ProcessRunner.Mta("postfix", "bogus");
        Assert.Equal(("postfix: fatal: unknown command: 'bogus'. Usage: postfix start (or stop, reload, abort, check, status, start-fg)\n", 1),
            (result.Stderr, result.ExitCode));
    }

    [Fact]
    public void PostfixWithoutACommandPrintsUsage()
    {
        var result = ProcessRunner.Mta("postfix");
        Assert.Equal(("postfix: fatal: usage: postfix [-c config_dir] [-Dv] command\n", 1), (result.Stderr, result.ExitCode));
    }
}

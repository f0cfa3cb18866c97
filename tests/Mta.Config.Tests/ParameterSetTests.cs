using Mta.Config.MainCf;

namespace Mta.Config.Tests;

/// <summary>The evaluated configuration: precedence, lazy expansion, typed access, overrides, caching.</summary>
public class ParameterSetTests
{
    private static readonly StringParameter MyHostname = new("myhostname", "host.localdomain");
    private static readonly StringParameter MyDomain = new("mydomain", "localdomain");
    private static readonly StringParameter MyOrigin = new("myorigin", "$myhostname");
    private static readonly ListParameter MyDestination = new("mydestination", "$myhostname, localhost.$mydomain, localhost");
    private static readonly StringParameter CompatibilityLevelParameter = new("compatibility_level", "0");
    private static readonly ListParameter RelayRestrictions = new("smtpd_relay_restrictions",
        "${{$compatibility_level} <level {1} ? {} : {permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination}}");
    private static readonly StringParameter Stress = new("stress", "");
    private static readonly TimeParameter SmtpdTimeout = new("smtpd_timeout", "${stress?{10}:{300}}s", 's', 1);
    private static readonly TimeParameter QueueLifetime = new("maximal_queue_lifetime", "5d", 'd');
    private static readonly BoolParameter DisableVrfy = new("disable_vrfy_command", "no");
    private static readonly IntParameter RecipientLimit = new("smtpd_recipient_limit", "1000", 1);
    private static readonly LongParameter MessageSize = new("message_size_limit", "10240000");
    private static readonly IntParameter DefaultProcessLimit = new("default_process_limit", "100", 1);

    private static readonly Parameter[] Catalogue =
    [
        MyHostname, MyDomain, MyOrigin, MyDestination, CompatibilityLevelParameter, RelayRestrictions, Stress,
        SmtpdTimeout, QueueLifetime, DisableVrfy, RecipientLimit, MessageSize, DefaultProcessLimit,
    ];

    private static ParameterSet Build(string mainCf) =>
        new(Catalogue, MainCfFile.Parse(mainCf, "/etc/postfix/main.cf"));

    [Fact]
    public void DefaultsExpandLazilyAgainstMainCf()
    {
        var set = Build("mydomain = example.com\nmyhostname = mx.$mydomain\n");
        Assert.Equal("mx.example.com", set.Get(MyOrigin));
        Assert.Equal(["mx.example.com", "localhost.example.com", "localhost"], set.Get(MyDestination));
        Assert.Equal("$myhostname", set.GetRaw("myorigin"));
    }

    [Fact]
    public void ValueMayReferToANameDefinedLater()
    {
        var set = Build("myorigin = $later\nlater = late.example\n");
        Assert.Equal("late.example", set.Expand("myorigin"));
    }

    [Fact]
    public void PrecedenceIsOverrideThenMainCfThenDefault()
    {
        var set = Build("myhostname = main.example\n");
        Assert.Equal("host.localdomain", Build("").Expand("myhostname"));
        Assert.Equal("main.example", set.Expand("myhostname"));
        var overridden = set.WithOverrides([new("myhostname", "override.example")]);
        Assert.Equal("override.example", overridden.Expand("myhostname"));
        Assert.Equal("override.example", overridden.Get(MyOrigin));
        Assert.Equal("main.example", set.Expand("myhostname"));
    }

    [Fact]
    public void IsSetIsKnownAndIsDefined()
    {
        var set = Build("myhostname = a\ncustom = b\n").WithOverride("stress", "yes");
        Assert.True(set.IsSet("myhostname"));
        Assert.True(set.IsSet("stress"));
        Assert.False(set.IsSet("mydomain"));
        Assert.True(set.IsKnown("mydomain"));
        Assert.False(set.IsKnown("custom"));
        Assert.True(set.IsDefined("custom"));
        Assert.False(set.IsDefined("nothing"));
        Assert.Null(set.GetRaw("nothing"));
        Assert.Equal("", set.Expand("nothing"));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("compatibility_level = 0\n", "")]
    [InlineData("compatibility_level = 1\n", "permit_mynetworks permit_sasl_authenticated defer_unauth_destination")]
    [InlineData("compatibility_level = 3.6\n", "permit_mynetworks permit_sasl_authenticated defer_unauth_destination")]
    [InlineData("compatibility_level = 3.11\n", "permit_mynetworks permit_sasl_authenticated defer_unauth_destination")]
    public void CompatibilityLevelDefaultsEvaluateExactly(string mainCf, string expected)
    {
        Assert.Equal(expected, string.Join(' ', Build(mainCf).Get(RelayRestrictions)));
    }

    [Theory]
    [InlineData("", 300)]
    [InlineData("smtpd_timeout = 60\n", 60)]
    [InlineData("smtpd_timeout = 2m\n", 120)]
    public void TimesUseTheDefaultsUnit(string mainCf, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Build(mainCf).Get(SmtpdTimeout));

    [Fact]
    public void StressOverrideChangesTheDefault()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), Build("").WithOverride("stress", "yes").Get(SmtpdTimeout));
    }

    [Fact]
    public void BareNumberTakesDaysWhenTheDefaultIsInDays() =>
        Assert.Equal(TimeSpan.FromDays(3), Build("maximal_queue_lifetime = 3\n").Get(QueueLifetime));

    [Fact]
    public void TypedGettersConvert()
    {
        var set = Build("disable_vrfy_command = YES\nsmtpd_recipient_limit = 50\nmessage_size_limit = 0\n");
        Assert.True(set.Get(DisableVrfy));
        Assert.Equal(50, set.Get(RecipientLimit));
        Assert.Equal(0L, set.Get(MessageSize));
    }

    [Theory]
    [InlineData("disable_vrfy_command = true\n", "bad boolean configuration: disable_vrfy_command = true")]
    [InlineData("smtpd_recipient_limit = lots\n", "bad numerical configuration: smtpd_recipient_limit = lots")]
    [InlineData("smtpd_recipient_limit = 0\n", "invalid smtpd_recipient_limit parameter value 0 < 1")]
    [InlineData("smtpd_timeout = 5x\n", "parameter smtpd_timeout: bad time value or unit: 5x")]
    [InlineData("smtpd_timeout = 0\n", "invalid smtpd_timeout: 0 (min 1)")]
    [InlineData("x = $y\nsmtpd_recipient_limit = 1$x\ny = 0$z\nz = ${x}\n", "dictionary mail_dict: macro processing error")]
    public void TypeErrorsThrowPostfixFatalText(string mainCf, string message)
    {
        var set = Build(mainCf);
        var e = Assert.Throws<ConfigException>(() =>
        {
            set.Get(DisableVrfy);
            set.Get(RecipientLimit);
            set.Get(SmtpdTimeout);
        });
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ExpandedValueMatchesTheExpandedTypedText()
    {
        var set = Build("smtpd_recipient_limit = ${{1} == {1} ? {25} : {50}}\n");
        Assert.Equal(25, set.Get(RecipientLimit));
    }

    [Fact]
    public void UndefinedReferencesAreReportedByExpandDetailed()
    {
        var set = Build("myorigin = $nowhere.$myhostname\n");
        var result = set.ExpandDetailed(set.GetRaw("myorigin")!);
        Assert.Equal(".host.localdomain", result.Text);
        Assert.Equal(["nowhere"], result.UndefinedNames);
    }

    [Fact]
    public void CompatibilityLevelProperty()
    {
        Assert.Equal(new CompatibilityLevel(0), Build("").CompatibilityLevel);
        Assert.Equal(new CompatibilityLevel(3, 11), Build("compatibility_level = 3.11\n").CompatibilityLevel);
        var e = Assert.Throws<ConfigException>(() => Build("compatibility_level = 3.x\n").CompatibilityLevel);
        Assert.Equal("malformed compatibility level syntax: \"3.x\"", e.Message);
    }

    [Fact]
    public void ConcurrentReadsAgree()
    {
        var set = Build("mydomain = example.net\n");
        var results = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 64, _ => results.Add(string.Join(",", set.Get(MyDestination))));
        Assert.Single(results.Distinct());
    }

    [Fact]
    public void WithDefaultsAddsDerivedParameters()
    {
        var derived = new IntParameter("relay_destination_concurrency_limit", "$default_destination_concurrency_limit");
        var set = Build("default_destination_concurrency_limit = 20\n").WithDefaults([derived]);
        Assert.Equal(20, set.Get(derived));
        Assert.True(set.IsKnown(derived.Name));
    }
}

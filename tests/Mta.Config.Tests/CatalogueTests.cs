namespace Mta.Config.Tests;

/// <summary>The defaults table: complete, consistent, and every default valid for its own type.</summary>
public sealed class CatalogueTests
{
    public static TheoryData<string> TypedParameterNames()
    {
        var data = new TheoryData<string>();
        foreach (var p in ParameterCatalogue.All)
            data.Add(p.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(TypedParameterNames))]
    public void DefaultParsesAsItsTypeOnceExpanded(string name)
    {
        var parameter = ParameterCatalogue.Find(name)!;
        var set = new ParameterSet(ParameterCatalogue.All);
        if (ParameterCatalogue.IsRaw(name))
        {
            Assert.IsType<StringParameter>(parameter);
            return;
        }
        object value = parameter switch
        {
            BoolParameter b => set.Get(b),
            IntParameter i => set.Get(i),
            LongParameter l => set.Get(l),
            TimeParameter t => set.Get(t),
            ListParameter l => set.Get(l),
            StringParameter s => set.Get(s),
            _ => throw new InvalidOperationException(name),
        };
        Assert.NotNull(value);
    }

    [Fact]
    public void DomainToAsciiDefaultsExpandWithTheAsciiDomain()
    {
        var set = new ParameterSet(ParameterCatalogue.All).WithOverrides([new("mydomain", "bücher.example")]);
        Assert.StartsWith("inline:{{xn--bcher-kva.example=opportunistic}, {.xn--bcher-kva.example=opportunistic}",
            set.Expand("smtp_requiretls_policy"));
        Assert.Equal("bücher.example", set.ExpandText("${domain_to_utf8{xn--bcher-kva.example}}"));
    }

    [Fact]
    public void AllIsSortedUniqueAndFindable()
    {
        var names = ParameterCatalogue.All.Select(p => p.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.True(names.Count > 800);
        Assert.All(ParameterCatalogue.All, p => Assert.Same(p, ParameterCatalogue.Find(p.Name)));
        Assert.Null(ParameterCatalogue.Find("virtual_maps"));
        Assert.Contains("virtual_maps", ParameterCatalogue.LegacyNames);
    }

    [Theory]
    [InlineData("myorigin", "$myhostname")]
    [InlineData("mydestination", "$myhostname, localhost.$mydomain, localhost")]
    [InlineData("smtpd_relay_restrictions", "${{$compatibility_level} <level {1} ? {} : {permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination}}")]
    [InlineData("smtpd_timeout", "${stress?{10}:{300}}s")]
    [InlineData("smtpd_hard_error_limit", "${stress?{1}:{20}}")]
    [InlineData("relay_domains", "${{$compatibility_level} <level {2} ? {$mydestination} : {}}")]
    [InlineData("mynetworks_style", "${{$compatibility_level} <level {2} ? {subnet} : {host}}")]
    [InlineData("append_dot_mydomain", "${{$compatibility_level} <level {1} ? {yes} : {no}}")]
    [InlineData("smtp_tls_security_level", "${{$compatibility_level} <level {3.11} ? {} : {may}}")]
    [InlineData("smtpd_forbid_unauth_pipelining", "yes")]
    [InlineData("message_size_limit", "10240000")]
    [InlineData("maximal_queue_lifetime", "5d")]
    [InlineData("delay_warning_time", "0h")]
    [InlineData("compatibility_level", "0")]
    [InlineData("queue_backend", "file")]
    [InlineData("redis_url", "")]
    public void DefaultTextIsPostfix311s(string name, string text) =>
        Assert.Equal(text, ParameterCatalogue.Find(name)!.DefaultText);

    [Theory]
    [InlineData("0", "relay_domains", "mx.localdomain, localhost.localdomain, localhost")]
    [InlineData("3.6", "relay_domains", "")]
    [InlineData("0", "smtpd_relay_restrictions", "")]
    [InlineData("2", "smtpd_relay_restrictions", "permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination")]
    [InlineData("1", "mynetworks_style", "subnet")]
    [InlineData("3.6", "mynetworks_style", "host")]
    [InlineData("3.10", "smtp_tls_security_level", "")]
    [InlineData("3.11", "smtp_tls_security_level", "may")]
    [InlineData("3.6", "smtpd_tls_fingerprint_digest", "sha256")]
    [InlineData("3.5", "smtpd_tls_fingerprint_digest", "md5")]
    public void CompatibilityLevelDefaultsEvaluateExactly(string level, string name, string expected)
    {
        var set = new ParameterSet(ParameterCatalogue.All,
            overrides: [new("compatibility_level", level), new("myhostname", "mx.localdomain"), new("mydomain", "localdomain")]);
        Assert.Equal(expected, set.Expand(name));
    }

    [Fact]
    public void TypesCarryPostfixUnitsAndBounds()
    {
        Assert.Equal('d', ParameterCatalogue.MaximalQueueLifetime.DefaultUnit);
        Assert.Equal('h', ParameterCatalogue.DelayWarningTime.DefaultUnit);
        Assert.Equal(1, ParameterCatalogue.SmtpdRecipientLimit.Min);
        Assert.IsType<LongParameter>(ParameterCatalogue.Find("message_size_limit"));
        Assert.IsType<BoolParameter>(ParameterCatalogue.Find("smtputf8_enable"));
        Assert.IsType<ListParameter>(ParameterCatalogue.Find("smtpd_recipient_restrictions"));
        var set = new ParameterSet(ParameterCatalogue.All, overrides: [new("maximal_queue_lifetime", "2")]);
        Assert.Equal(TimeSpan.FromDays(2), set.Get(ParameterCatalogue.MaximalQueueLifetime));
    }

    [Fact]
    public void DeliveryServicesGetPostfixsPerTransportParameters()
    {
        var slow = ParameterCatalogue.ServiceParameters("slow", "smtp").ToDictionary(p => p.Name, p => p);
        Assert.Equal(16, slow.Count);
        Assert.Equal("$default_destination_concurrency_limit", slow["slow_destination_concurrency_limit"].DefaultText);
        Assert.Equal("$initial_destination_concurrency", slow["slow_initial_destination_concurrency"].DefaultText);
        Assert.IsType<TimeParameter>(slow["slow_destination_rate_delay"]);
        Assert.IsType<IntParameter>(slow["slow_destination_recipient_limit"]);
        Assert.DoesNotContain("slow_time_limit", slow.Keys);

        var pipe = ParameterCatalogue.ServiceParameters("maildrop", "pipe").Select(p => p.Name).ToList();
        Assert.Contains("maildrop_time_limit", pipe);
        Assert.Contains("maildrop_destination_recipient_limit", pipe);
        Assert.Equal(["spawnit_time_limit"], ParameterCatalogue.ServiceParameters("spawnit", "spawn").Select(p => p.Name));
        Assert.Empty(ParameterCatalogue.ServiceParameters("pickup", "pickup"));
        // Built-in names keep their own default (local_destination_concurrency_limit = 2).
        Assert.DoesNotContain(ParameterCatalogue.ServiceParameters("local", "local"), p => p.Name == "local_destination_concurrency_limit");
    }
}

using Mta.Config;
using Mta.Config.MainCf;

namespace Mta.Smtp.Tests;

public class SettingsBinderTests
{
    private static ParameterSet Parse(string mainCf) =>
        new(ParameterCatalogue.All, MainCfFile.Parse(mainCf, "main.cf"));

    [Fact]
    public void DefaultsArePostfixs()
    {
        var s = SmtpdSettings.From(Parse("compatibility_level = 3.11\nmyhostname = mx.example.com\nmynetworks = 127.0.0.0/8 [::1]/128\n"));
        Assert.Equal("mx.example.com ESMTP Postfix", s.EffectiveBanner);
        Assert.Equal(10_240_000, s.MessageSizeLimit);
        Assert.Equal(2048, s.LineLengthLimit);
        Assert.Equal(1000, s.RecipientLimit);
        Assert.Equal(20, s.HardErrorLimit);
        Assert.Equal(TimeSpan.FromSeconds(300), s.Timeout);
        Assert.Equal(BareNewlineMode.Normalize, s.ForbidBareNewline);
        Assert.True(s.ForbidUnauthPipelining);
        Assert.True(s.SmtputF8Enable);
        Assert.Equal(TlsSecurityLevel.None, s.TlsSecurityLevel);
        Assert.Equal("postfix/smtpd", s.ProgramName);
        Assert.Equal(2, s.ForbidBareNewlineExclusions.Count);
        Assert.Contains(s.ForbidBareNewlineExclusions, n => n.Contains(System.Net.IPAddress.Parse("127.0.0.9")));
    }

    [Fact]
    public void ServiceOverridesApply()
    {
        var set = Parse("myhostname = mx.example.com\nsmtpd_timeout = 30s\n")
            .WithOverrides([new("syslog_name", "postfix/submission"), new("smtpd_forbid_bare_newline", "reject"),
                            new("smtpd_discard_ehlo_keywords", "CHUNKING, dsn"), new("smtpd_upstream_proxy_protocol", "haproxy"),
                            new("message_size_limit", "0")]);
        var s = SmtpdSettings.From(set, "submission");
        Assert.Equal("submission", s.ServiceName);
        Assert.Equal("postfix/submission/smtpd", s.ProgramName);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Timeout);
        Assert.Equal(BareNewlineMode.Reject, s.ForbidBareNewline);
        Assert.True(s.IsKeywordDiscarded("chunking"));
        Assert.True(s.IsKeywordDiscarded("dsn"));
        Assert.True(s.UpstreamProxyHaproxy);
        Assert.Equal(0, s.MessageSizeLimit);
    }

    [Theory]
    [InlineData("", false, false, TlsSecurityLevel.None)]
    [InlineData("", true, false, TlsSecurityLevel.May)]
    [InlineData("", true, true, TlsSecurityLevel.Encrypt)]
    [InlineData("may", false, false, TlsSecurityLevel.May)]
    [InlineData("encrypt", false, false, TlsSecurityLevel.Encrypt)]
    public void SecurityLevelFollowsPostfixsFallback(string level, bool useTls, bool enforceTls, TlsSecurityLevel expected) =>
        Assert.Equal(expected, SmtpdSettingsBinder.ParseSecurityLevel(level, useTls, enforceTls));
}

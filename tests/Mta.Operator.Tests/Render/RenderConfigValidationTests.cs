using k8s.Models;
using Mta.Config.MasterCf;
using Mta.Operator.Rendering;

namespace Mta.Operator.Tests.Render;

/// <summary>A bad override never rolls out: the result carries Mta.Config's "file, line N: message" and no objects.</summary>
public class RenderConfigValidationTests
{
    public static TheoryData<string, string, string> BadMainCf() => new()
    {
        // spec, the main.cf line the error is on (found in the rendered text), message after "line N: "
        { "{domain: example.org, mainCf: {parameters: {smtpd_helo_required: perhaps}}}", "smtpd_helo_required = perhaps",
            "bad boolean configuration: smtpd_helo_required = perhaps" },
        { "{domain: example.org, mainCf: {parameters: {message_size_limit: lots}}}", "message_size_limit = lots",
            "bad numerical configuration: message_size_limit = lots" },
        { "{domain: example.org, mainCf: {parameters: {smtpd_timeout: 5fortnights}}}", "smtpd_timeout = 5fortnights",
            "parameter smtpd_timeout: bad time value or unit: 5fortnights" },
        { "{domain: example.org, mainCf: {parameters: {smtpd_timeout: 0s}}}", "smtpd_timeout = 0s",
            "invalid smtpd_timeout: 0 (min 1)" },
        { "{domain: example.org, compatibilityLevel: '3.11', mainCf: {text: \"maximal_queue_lifetime = 1000d\\n\"}}", "maximal_queue_lifetime = 1000d",
            "invalid maximal_queue_lifetime: 86400000 (max 8640000)" },
        { "{domain: example.org, mainCf: {text: \"this line has no equals sign\\n\"}}", "this line has no equals sign",
            "missing '=' after attribute name: \"this line has no equals sign\"" },
    };

    [Theory]
    [MemberData(nameof(BadMainCf))]
    public void InvalidMainCfOverrideGivesConfigValidFalseWithFileAndLine(string spec, string badLine, string message)
    {
        var ms = RenderFixtures.WithSpec(spec);
        var lines = MainCfRenderer.Render(ms).Split('\n');
        var lineNumber = Array.IndexOf(lines, badLine) + 1;
        Assert.True(lineNumber > 0, $"'{badLine}' is not a line of the rendered main.cf");

        var result = MailServerRenderer.Render(ms, RenderContext.Minimal);

        Assert.False(result.ConfigValid);
        Assert.Equal($"main.cf, line {lineNumber}: {message}", result.ConfigError);
        Assert.Empty(result.Objects);
        Assert.Null(result.ConfigHash);
    }

    [Fact]
    public void InvalidMasterCfOverrideNamesTheTierFileAndLine()
    {
        var ms = RenderFixtures.WithSpec(
            "{domain: example.org, masterCf: {smtpd: \"2525 inet n - n - - smtpd\\n  -o smtpd_helo_required=perhaps\\n\"}}");

        var result = MailServerRenderer.Render(ms, RenderContext.Minimal);

        Assert.False(result.ConfigValid);
        Assert.Equal("smtpd/master.cf: line 3: bad boolean configuration: smtpd_helo_required = perhaps", result.ConfigError);
    }

    [Fact]
    public void MasterCfLineWithTooFewFieldsIsRejected()
    {
        var result = MailServerRenderer.Render(RenderFixtures.WithSpec("{domain: example.org, masterCf: {qmgr: \"qmgr unix n\\n\"}}"), RenderContext.Minimal);

        Assert.False(result.ConfigValid);
        Assert.Equal("qmgr/master.cf: line 3: missing \"unprivileged\" field", result.ConfigError);
    }

    [Fact]
    public void MasterCfOverrideReplacesTheRenderedEntryOfTheSameServiceAndType()
    {
        var result = MailServerRenderer.Render(
            RenderFixtures.WithSpec("{domain: example.org, masterCf: {delivery: \"smtp unix - - n - 50 smtp\\nextra unix - - n - - discard\\n\"}}"),
            RenderContext.Minimal);

        Assert.True(result.ConfigValid, result.ConfigError);
        var masterCf = RenderFixtures.Single<V1ConfigMap>(result, "t-delivery-config").Data["master.cf"];
        var entries = MasterCfFile.Parse(masterCf, "master.cf").Entries;
        Assert.Single(entries, e => e.Name == "smtp");
        Assert.Equal("50", entries.Single(e => e.Name == "smtp").MaxProcField);
        Assert.Equal("extra", entries[^1].Name);
    }

    [Fact]
    public void ABadValueReachedOnlyThroughExpansionIsCaughtToo()
    {
        // postscreen_dnsbl_allowlist_threshold defaults to the value of its old name when that is set: the old
        // name's own line is not typed-checked (it is not in the catalogue), the parameter that reads it is.
        var ms = RenderFixtures.WithSpec("{domain: example.org, mainCf: {parameters: {postscreen_dnsbl_whitelist_threshold: many}}}");

        var result = MailServerRenderer.Render(ms, RenderContext.Minimal);

        Assert.False(result.ConfigValid);
        // As Postfix says it: the bad value is not set on a line of its own, so no file and line prefix it.
        Assert.Equal("bad numerical configuration: postscreen_dnsbl_allowlist_threshold = many", result.ConfigError);
    }

    [Fact]
    public void UnknownParameterIsAWarningNotAnError()
    {
        var result = MailServerRenderer.Render(RenderFixtures.WithSpec("{domain: example.org, mainCf: {parameters: {no_such_parameter: x}}}"), RenderContext.Minimal);

        Assert.True(result.ConfigValid, result.ConfigError);
        Assert.Contains(result.Warnings, w => w.EndsWith(": unused parameter: no_such_parameter=x") && w.StartsWith("main.cf, line "));
    }

    [Theory]
    [InlineData("{domain: example.org, mainCf: {parameters: {Bad-Name: x}}}",
        "spec.mainCf.parameters: \"Bad-Name\" is not a main.cf parameter name (lower-case letters, digits and _)")]
    [InlineData("{domain: example.org, mainCf: {parameters: {'relayhost = evil': x}}}",
        "spec.mainCf.parameters: \"relayhost = evil\" is not a main.cf parameter name (lower-case letters, digits and _)")]
    public void OverrideNamesMustBeParameterNames(string spec, string error)
    {
        var result = MailServerRenderer.Render(RenderFixtures.WithSpec(spec), RenderContext.Minimal);

        Assert.False(result.ConfigValid);
        Assert.Equal(error, result.ConfigError);
    }

    [Fact]
    public void NoRedisAtAllIsNotRendered()
    {
        var result = MailServerRenderer.Render(RenderFixtures.WithSpecUnchecked("{domain: example.org, redis: {managed: {enabled: false}}}"), RenderContext.Minimal);

        Assert.False(result.ConfigValid);
        Assert.Equal("spec.redis: set exactly one of external or managed (enabled)", result.ConfigError);
    }

    [Fact]
    public void ReplicasAndAutoscalingTogetherAreNotRendered()
    {
        // Built in code (or stored under an older CRD): the schema never saw it, the renderer still refuses.
        var ms = RenderFixtures.WithSpec("{domain: example.org, smtpd: {autoscaling: {enabled: true}}}");
        ms.Spec.Smtpd.Replicas = 2;

        var result = MailServerRenderer.Render(ms, RenderContext.Minimal);

        Assert.False(result.ConfigValid);
        Assert.Equal("spec.smtpd: set replicas or enable autoscaling, not both", result.ConfigError);
    }
}

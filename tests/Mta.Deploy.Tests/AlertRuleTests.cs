using System.Text.Json.Nodes;

namespace Mta.Deploy.Tests;

/// <summary>deploy/prometheus/mta-rules.yaml: valid for promtool, unit-tested rule by rule, over the agreed metrics.</summary>
public sealed class AlertRuleTests
{
    private static readonly JsonNode RulesFile = YamlJson.Load(RepoPaths.Read("deploy", "prometheus", "mta-rules.yaml"))!;

    private static IEnumerable<JsonNode> Alerts() =>
        RulesFile["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).Select(r => r!);

    [Fact]
    public void PromtoolAcceptsTheRulesAndTheirUnitTestsPass()
    {
        var promtool = RepoPaths.RequirePromtool();
        ToolRunner.RunOk(promtool, "check", "rules", RepoPaths.Combine("deploy", "prometheus", "mta-rules.yaml"));
        ToolRunner.RunOk(promtool, "test", "rules", RepoPaths.Combine("deploy", "prometheus", "mta-rules.test.yaml"));
    }

    [Fact]
    public void ChartShipsAnIdenticalCopyOfTheRules() =>
        Assert.True(
            RepoPaths.Read("deploy", "prometheus", "mta-rules.yaml") == RepoPaths.Read("charts", "mta-operator", "files", "mta-rules.yaml"),
            "charts/mta-operator/files/mta-rules.yaml differs from deploy/prometheus/mta-rules.yaml: run tests/chart/sync-chart-files.sh");

    [Fact]
    public void ChartShipsIdenticalCopiesOfTheCrds()
    {
        var sources = Directory.GetFiles(RepoPaths.Combine("crds"), "*.yaml").Select(Path.GetFileName).Order().ToList();
        var copies = Directory.GetFiles(RepoPaths.Combine("charts", "mta-operator", "files", "crds"), "*.yaml").Select(Path.GetFileName).Order().ToList();
        Assert.NotEmpty(sources);
        Assert.Equal(sources, copies);
        Assert.All(sources, name => Assert.True(
            RepoPaths.Read("crds", name!) == RepoPaths.Read("charts", "mta-operator", "files", "crds", name!),
            $"charts/mta-operator/files/crds/{name} differs from crds/{name}: run tests/chart/sync-chart-files.sh"));
    }

    [Fact]
    public void TheIssueListsAlertsAreAllThere()
    {
        var names = Alerts().Select(a => (string)a["alert"]!).ToHashSet();
        string[] expected =
        [
            "MtaQueueBacklogGrowing", "MtaOldestDeferredMessageTooOld", "MtaDeliveryFailureRatioHigh", "MtaBounceRateHigh",
            "MtaSmtpdNoneReady", "MtaSmtpdBelowDesiredReplicas", "MtaRedisDown", "MtaRedisSlow", "MtaSmtpdRejectSpike",
            "MtaOperatorReconcileErrors", "MtaMailServerConfigInvalid",
        ];
        Assert.All(expected, name => Assert.Contains(name, names));
    }

    [Fact]
    public void EveryAlertHasASeveritySummaryDescriptionAndRunbook()
    {
        Assert.All(Alerts(), alert =>
        {
            var name = (string)alert["alert"]!;
            Assert.Contains((string?)alert["labels"]?["severity"], new[] { "warning", "critical" });
            foreach (var annotation in new[] { "summary", "description", "runbook" })
            {
                Assert.False(string.IsNullOrWhiteSpace((string?)alert["annotations"]?[annotation]), $"{name} has no {annotation}");
            }
            Assert.NotNull(alert["for"]);
        });
    }

    [Fact]
    public void EveryAlertHasAUnitTestWhereItFiresAndOneWhereItMustNot()
    {
        var tests = YamlJson.Load(RepoPaths.Read("deploy", "prometheus", "mta-rules.test.yaml"))!["tests"]!.AsArray();
        var checks = tests.SelectMany(t => t!["alert_rule_test"]!.AsArray())
            .Select(c => (Name: (string)c!["alertname"]!, Fires: c["exp_alerts"]!.AsArray().Count > 0))
            .ToList();
        Assert.All(Alerts().Select(a => (string)a["alert"]!), name =>
        {
            Assert.True(checks.Contains((name, true)), $"no promtool test expects {name} to fire");
            Assert.True(checks.Contains((name, false)), $"no promtool test expects {name} to stay quiet");
        });
    }

    [Fact]
    public void RulesQueryOnlyAgreedMetrics()
    {
        var allowed = AgreedMetrics.Mta.Concat(AgreedMetrics.Operator).Concat(AgreedMetrics.KubeStateMetrics).ToHashSet();
        Assert.All(Alerts(), alert =>
        {
            var used = PromQl.MetricNames((string)alert["expr"]!).Select(AgreedMetrics.Family).ToList();
            Assert.NotEmpty(used);
            Assert.All(used, metric => Assert.True(allowed.Contains(metric), $"{alert["alert"]} queries unknown metric {metric}"));
        });
    }

    [Fact]
    public void MetricNameExtractionSeesThroughPromQlSyntax()
    {
        var names = PromQl.MetricNames(
            "histogram_quantile(0.99, sum by (namespace, le) (rate(a_bucket{le=\"+Inf\",x=~\"y|z\"}[5m]))) > 1e3 and on (job) b offset 1h unless c");
        Assert.Equal(new HashSet<string> { "a_bucket", "b", "c" }, names);
    }
}

using System.Text.Json.Nodes;

namespace Mta.Deploy.Tests;

/// <summary>deploy/grafana/mta-dashboard.json queries the agreed metrics, all of them, with valid PromQL.</summary>
public sealed class DashboardTests
{
    private static readonly JsonNode Dashboard = JsonNode.Parse(RepoPaths.Read("deploy", "grafana", "mta-dashboard.json"))!;

    private static List<(string Panel, string Expr)> Queries() =>
        Dashboard["panels"]!.AsArray()
            .Where(p => p!["targets"] is not null)
            .SelectMany(p => p!["targets"]!.AsArray().Select(t => ((string)p["title"]!, (string)t!["expr"]!)))
            .ToList();

    private static HashSet<string> MetricsUsed()
    {
        var used = Queries().SelectMany(q => PromQl.MetricNames(q.Expr)).Select(AgreedMetrics.Family).ToHashSet();
        foreach (var variable in Dashboard["templating"]!["list"]!.AsArray().Where(v => (string?)v!["type"] == "query"))
        {
            var definition = (string)variable!["definition"]!;
            used.Add(definition[(definition.IndexOf('(') + 1)..definition.IndexOf(',')].Trim());
        }
        return used;
    }

    [Fact]
    public void EveryMetricTheDashboardQueriesIsAgreed()
    {
        var allowed = AgreedMetrics.Mta.Concat(AgreedMetrics.Operator).ToHashSet();
        Assert.All(MetricsUsed(), metric => Assert.True(allowed.Contains(metric), $"the dashboard queries unknown metric {metric}"));
    }

    [Fact]
    public void EveryAgreedMetricIsOnTheDashboard()
    {
        var used = MetricsUsed();
        Assert.All(AgreedMetrics.Mta.Concat(AgreedMetrics.Operator), metric => Assert.True(used.Contains(metric), $"no panel shows {metric}"));
    }

    [Fact]
    public void PanelIdsAreUniqueAndEveryPanelHasAQuery()
    {
        var panels = Dashboard["panels"]!.AsArray().Select(p => p!).ToList();
        Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
        Assert.All(panels.Where(p => (string?)p["type"] != "row"), p => Assert.NotEmpty(p["targets"]!.AsArray()));
    }

    [Fact]
    public void EveryQueryIsValidPromQl()
    {
        // promtool parses PromQL offline only inside rule files: check each query as a recording rule.
        var promtool = RepoPaths.RequirePromtool();
        var rules = new System.Text.StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        foreach (var (query, index) in Queries().Select((q, i) => (q, i)))
        {
            var expr = query.Expr.Replace("$__rate_interval", "5m").Replace("$namespace", ".*");
            rules.Append($"      - record: dashboard:query{index}\n        expr: {JsonValue.Create(expr).ToJsonString()}\n");
        }
        var file = Path.Combine(Path.GetTempPath(), $"mta-dashboard-{Guid.NewGuid():N}.rules.yaml");
        try
        {
            File.WriteAllText(file, rules.ToString());
            ToolRunner.RunOk(promtool, "check", "rules", file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

using System.Collections.Concurrent;
using k8s;
using Mta.Operator.Api;

namespace Mta.Deploy.Tests;

/// <summary>Renders the chart with helm and parses manifests strictly with the KubernetesClient models.</summary>
internal static class Manifests
{
    public const string Release = "mta-operator";
    public const string Namespace = "mta-system";

    public static readonly string[] MonitoringApis =
        ["--api-versions", "monitoring.coreos.com/v1/ServiceMonitor", "--api-versions", "monitoring.coreos.com/v1/PrometheusRule"];

    private static readonly Dictionary<string, Type> CustomKinds = new()
    {
        [$"{MailServer.GroupVersion}/{MailServer.EntityKind}"] = typeof(MailServer),
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(ServiceMonitor),
        ["monitoring.coreos.com/v1/PrometheusRule"] = typeof(PrometheusRule),
    };

    // Rendering is pure, so each distinct set of arguments is rendered once per test run.
    private static readonly ConcurrentDictionary<string, Lazy<string>> Rendered = new();

    /// <summary>`helm template` of the chart with the given extra arguments; fails the test if helm fails.</summary>
    public static string Template(params string[] arguments)
    {
        var helm = RepoPaths.RequireHelm();
        return Rendered.GetOrAdd(string.Join('\0', arguments), _ => new Lazy<string>(() =>
            ToolRunner.RunOk(helm, ["template", Release, RepoPaths.Chart, "--namespace", Namespace, .. arguments]))).Value;
    }

    public static string TemplateFull(bool monitoringApis = true) =>
        Template(["-f", RepoPaths.Combine("tests", "chart", "full-values.yaml"), .. monitoringApis ? MonitoringApis : []]);

    /// <summary>Every document as its typed model; an unknown kind or an unknown field anywhere throws.</summary>
    public static List<object> LoadStrict(string yaml) => KubernetesYaml.LoadAllFromString(yaml, CustomKinds, strict: true);

    public static List<T> OfType<T>(string yaml) => LoadStrict(yaml).OfType<T>().ToList();
}

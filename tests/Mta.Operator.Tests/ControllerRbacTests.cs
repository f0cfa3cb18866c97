using Mta.Operator.Controller;
using YamlDotNet.RepresentationModel;

namespace Mta.Operator.Tests;

/// <summary>deploy/operator/rbac.yaml grants what the controller's calls need, and Secrets only by name.</summary>
public sealed class ControllerRbacTests
{
    private static readonly string RbacPath = Path.Combine(RepoRoot(), "deploy", "operator", "rbac.yaml");

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Mta.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Mta.sln not found above the test binaries");
    }

    /// <summary>(kind of role, group, resource) -> verbs, from every Role/ClusterRole in the file.</summary>
    private static Dictionary<(string Role, string Group, string Resource), HashSet<string>> Grants()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(RbacPath)) yaml.Load(reader);
        var grants = new Dictionary<(string, string, string), HashSet<string>>();
        foreach (var doc in yaml.Documents)
        {
            var root = (YamlMappingNode)doc.RootNode;
            var kind = ((YamlScalarNode)root["kind"]).Value!;
            if (kind is not ("Role" or "ClusterRole")) continue;
            foreach (var rule in ((YamlSequenceNode)root["rules"]).Cast<YamlMappingNode>())
            {
                var verbs = ((YamlSequenceNode)rule["verbs"]).Select(v => ((YamlScalarNode)v).Value!).ToList();
                foreach (var group in ((YamlSequenceNode)rule["apiGroups"]).Select(g => ((YamlScalarNode)g).Value!))
                foreach (var resource in ((YamlSequenceNode)rule["resources"]).Select(r => ((YamlScalarNode)r).Value!))
                {
                    if (!grants.TryGetValue((kind, group, resource), out var set)) grants[(kind, group, resource)] = set = [];
                    set.UnionWith(verbs);
                }
            }
        }
        return grants;
    }

    private static HashSet<string> Verbs(string role, string group, string resource) =>
        Grants().TryGetValue((role, group, resource), out var v) ? v : [];

    [Fact]
    public void EveryChildKindCanBeAppliedWatchedAndPrunedAsTheControllerDoes()
    {
        foreach (var kind in ChildKinds.All)
        {
            var verbs = Verbs("ClusterRole", kind.Group, kind.Plural);
            Assert.Superset(new HashSet<string> { "get", "list", "create", "patch" }, verbs);
            if (kind.Watched) Assert.Contains("watch", verbs);
            Assert.Equal(kind.Prunable, verbs.Contains("delete"));
            Assert.DoesNotContain("update", verbs); // children are only ever applied, never PUT
        }
    }

    [Fact]
    public void MailServersAreReadOnlyExceptStatus()
    {
        Assert.Equal(["get", "list", "watch"], Verbs("ClusterRole", "mta.dev", "mailservers").Order());
        Assert.Equal(["get", "patch", "update"], Verbs("ClusterRole", "mta.dev", "mailservers/status").Order());
    }

    [Fact]
    public void LeasesOnlyInTheOperatorNamespaceAndSecretsOnlyByName()
    {
        Assert.Empty(Verbs("ClusterRole", "coordination.k8s.io", "leases"));
        Assert.Equal(["create", "get", "update"], Verbs("Role", "coordination.k8s.io", "leases").Order());
        Assert.Equal(["get"], Verbs("ClusterRole", "", "secrets"));
        Assert.DoesNotContain(Grants(), g => g.Key.Resource == "*" || g.Key.Group == "*" || g.Value.Contains("*"));
    }
}

using k8s.Models;
using Mta.Operator.Api;
using Mta.Operator.Controller;

namespace Mta.Deploy.Tests;

/// <summary>
/// The chart's manager role grants exactly what the operator's code needs: the verbs each child kind's apply,
/// list/watch and prune use (from ChildKinds, so a new child kind without RBAC fails here), and nothing else.
/// </summary>
public sealed class RbacTests
{
    private static Dictionary<(string Group, string Resource), HashSet<string>> Granted()
    {
        var role = Manifests.OfType<V1ClusterRole>(Manifests.Template()).Single(r => r.Metadata.Name == "mta-operator-manager");
        var granted = new Dictionary<(string, string), HashSet<string>>();
        foreach (var rule in role.Rules)
        {
            Assert.Null(rule.ResourceNames);
            foreach (var group in rule.ApiGroups)
            {
                foreach (var resource in rule.Resources)
                {
                    var verbs = granted.TryGetValue((group, resource), out var existing) ? existing : granted[(group, resource)] = [];
                    verbs.UnionWith(rule.Verbs);
                }
            }
        }
        return granted;
    }

    private static Dictionary<(string Group, string Resource), HashSet<string>> Needed()
    {
        var needed = new Dictionary<(string, string), HashSet<string>>
        {
            [(MailServer.Group, MailServer.Plural)] = ["get", "list", "watch"],
            [(MailServer.Group, MailServer.Plural + "/status")] = ["get", "patch", "update"],
            [("", "secrets")] = ["get"], // the Redis password Secret a MailServer names
            [("events.k8s.io", "events")] = ["create"], // EventRecorder creates events.k8s.io/v1 Events
        };
        foreach (var kind in ChildKinds.All)
        {
            // Server-side apply is a PATCH that creates the object when it is missing.
            HashSet<string> verbs = ["get", "create", "patch"];
            if (kind.Watched)
            {
                verbs.UnionWith(["list", "watch"]);
            }
            if (kind.Prunable)
            {
                verbs.UnionWith(["list", "delete"]);
            }
            needed[(kind.Group, kind.Plural)] = verbs;
        }
        return needed;
    }

    [Fact]
    public void ManagerRoleGrantsEveryVerbTheOperatorUses()
    {
        var granted = Granted();
        foreach (var ((group, resource), verbs) in Needed())
        {
            Assert.True(granted.TryGetValue((group, resource), out var have), $"no rule for {group}/{resource}");
            Assert.True(verbs.IsSubsetOf(have), $"{group}/{resource}: needs {string.Join(",", verbs.Order())}, has {string.Join(",", have.Order())}");
        }
    }

    [Fact]
    public void ManagerRoleGrantsNothingTheOperatorDoesNotUse()
    {
        var needed = Needed();
        foreach (var ((group, resource), verbs) in Granted())
        {
            Assert.True(needed.TryGetValue((group, resource), out var use), $"{group}/{resource} is granted but never used");
            Assert.True(verbs.IsSubsetOf(use), $"{group}/{resource}: grants {string.Join(",", verbs.Except(use).Order())} beyond what the operator uses");
        }
    }
}

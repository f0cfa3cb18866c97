using System.Text.Json.Nodes;

namespace Mta.Operator.Tests.FakeApi;

/// <summary>
/// metadata.managedFields of one object as (manager, operation, subresource) -> owned leaves, with the two ways
/// ownership changes: an Apply (may conflict) and an Update (PUT/POST/merge PATCH: takes what it changed).
/// </summary>
public sealed class ManagedFields
{
    private readonly record struct Owner(string Manager, string Operation, string Subresource);

    private readonly Dictionary<Owner, HashSet<FieldPath>> owners = [];

    public static ManagedFields Read(JsonObject obj)
    {
        var result = new ManagedFields();
        if (JsonTree.At(obj, ["metadata", "managedFields"]) is not JsonArray entries) return result;
        foreach (var entry in entries.OfType<JsonObject>())
        {
            var owner = new Owner(JsonTree.Str(entry, "manager") ?? "", JsonTree.Str(entry, "operation") ?? "Update", JsonTree.Str(entry, "subresource") ?? "");
            result.owners[owner] = FieldPath.FromFieldsV1(entry["fieldsV1"] as JsonObject);
        }
        return result;
    }

    public void WriteTo(JsonObject obj, string apiVersion, string time)
    {
        var entries = new JsonArray();
        foreach (var (owner, paths) in owners.Where(o => o.Value.Count > 0).OrderBy(o => o.Key.Manager, StringComparer.Ordinal))
        {
            var entry = new JsonObject
            {
                ["manager"] = owner.Manager, ["operation"] = owner.Operation, ["apiVersion"] = apiVersion, ["time"] = time,
                ["fieldsType"] = "FieldsV1", ["fieldsV1"] = FieldPath.ToFieldsV1(paths),
            };
            if (owner.Subresource.Length > 0) entry["subresource"] = owner.Subresource;
            entries.Add(entry);
        }
        JsonTree.Metadata(obj)["managedFields"] = entries;
    }

    /// <summary>Leaves owned by a manager through Apply on a subresource ("" = main resource).</summary>
    public IReadOnlySet<FieldPath> AppliedBy(string manager, string subresource) =>
        owners.TryGetValue(new Owner(manager, "Apply", subresource), out var set) ? set : new HashSet<FieldPath>();

    public IEnumerable<string> ManagersOf(FieldPath path) =>
        owners.Where(o => o.Value.Any(p => p.Overlaps(path))).Select(o => o.Key.Manager).Distinct();

    /// <summary>The fields another manager owns whose current value the applied config would change.</summary>
    public List<(string Manager, FieldPath Path)> Conflicts(string manager, IEnumerable<FieldPath> applied, JsonObject current, JsonObject config)
    {
        var conflicts = new List<(string, FieldPath)>();
        foreach (var path in applied)
        {
            if (JsonTree.Same(JsonTree.At(current, path.Segments), JsonTree.At(config, path.Segments))) continue;
            foreach (var (owner, paths) in owners)
            {
                if (owner.Manager == manager) continue;
                if (paths.Any(p => p.Overlaps(path))) conflicts.Add((owner.Manager, path));
            }
        }
        return conflicts;
    }

    /// <summary>Records an Apply: the manager now owns exactly the applied leaves; changed leaves leave other owners.</summary>
    public void RecordApply(string manager, string subresource, HashSet<FieldPath> applied, JsonObject before, JsonObject after)
    {
        foreach (var (owner, paths) in owners)
        {
            if (owner.Manager == manager) continue;
            paths.RemoveWhere(p => applied.Any(a => a.Overlaps(p)) && !JsonTree.Same(JsonTree.At(before, p.Segments), JsonTree.At(after, p.Segments)));
        }
        owners[new Owner(manager, "Apply", subresource)] = applied;
    }

    /// <summary>Records a non-apply write: the writer takes every leaf it changed; leaves that vanished lose all owners.</summary>
    public void RecordUpdate(string manager, string subresource, JsonObject? before, JsonObject after, bool statusOnly, bool includeStatus)
    {
        var newLeaves = FieldPath.LeavesOf(after, statusOnly, includeStatus);
        var oldLeaves = before is null ? [] : FieldPath.LeavesOf(before, statusOnly, includeStatus);
        var changed = newLeaves.Where(p => before is null || !JsonTree.Same(JsonTree.At(before, p.Segments), JsonTree.At(after, p.Segments))).ToList();
        var removed = oldLeaves.Where(p => !JsonTree.Exists(after, p.Segments)).ToList();
        foreach (var (owner, paths) in owners)
        {
            paths.RemoveWhere(p => removed.Any(r => r.Overlaps(p) && !JsonTree.Exists(after, p.Segments)));
            if (owner.Manager != manager) paths.RemoveWhere(p => changed.Any(c => c.Overlaps(p)));
        }
        if (changed.Count == 0) return;
        var key = new Owner(manager, "Update", subresource);
        if (!owners.TryGetValue(key, out var mine)) owners[key] = mine = [];
        mine.UnionWith(changed);
    }
}

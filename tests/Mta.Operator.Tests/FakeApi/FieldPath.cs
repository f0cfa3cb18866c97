using System.Text.Json.Nodes;

namespace Mta.Operator.Tests.FakeApi;

/// <summary>
/// A field path in an object ("spec", "replicas"). Field ownership is tracked per leaf: a scalar, a list (lists are
/// atomic here, a documented simplification of SSA's associative lists) or an empty object.
/// </summary>
public sealed class FieldPath : IEquatable<FieldPath>
{
    private readonly string[] segments;
    private readonly string joined;

    public FieldPath(IEnumerable<string> segments)
    {
        this.segments = segments.ToArray();
        joined = string.Join('\u001f', this.segments);
    }

    public IReadOnlyList<string> Segments => segments;

    /// <summary>True when one path is the other or an ancestor of it (they cover overlapping values).</summary>
    public bool Overlaps(FieldPath other)
    {
        var n = Math.Min(segments.Length, other.segments.Length);
        for (var i = 0; i < n; i++)
            if (segments[i] != other.segments[i]) return false;
        return true;
    }

    public bool Equals(FieldPath? other) => other is not null && joined == other.joined;
    public override bool Equals(object? obj) => Equals(obj as FieldPath);
    public override int GetHashCode() => joined.GetHashCode(StringComparison.Ordinal);

    /// <summary>The SSA-style display: .spec.template.metadata.annotations.x</summary>
    public override string ToString() => "." + string.Join('.', segments);

    /// <summary>The owned leaves of an object. Identity and server-set metadata are never owned.</summary>
    public static HashSet<FieldPath> LeavesOf(JsonObject obj, bool statusOnly, bool includeStatus)
    {
        var result = new HashSet<FieldPath>();
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind") continue;
            if (key == "metadata")
            {
                if (statusOnly || value is not JsonObject meta) continue;
                foreach (var ownedKey in new[] { "labels", "annotations", "ownerReferences", "finalizers" })
                    if (meta[ownedKey] is { } owned) Collect(owned, ["metadata", ownedKey], result);
                continue;
            }
            if (key == "status" ? !includeStatus && !statusOnly : statusOnly) continue;
            Collect(value, [key], result);
        }
        return result;
    }

    private static void Collect(JsonNode? node, List<string> prefix, HashSet<FieldPath> into)
    {
        if (node is JsonObject o && o.Count > 0)
        {
            foreach (var (key, value) in o)
            {
                prefix.Add(key);
                Collect(value, prefix, into);
                prefix.RemoveAt(prefix.Count - 1);
            }
            return;
        }
        into.Add(new FieldPath(prefix));
    }

    /// <summary>Encodes a set of leaves in the apiserver's FieldsV1 shape: {"f:spec":{"f:replicas":{}}}.</summary>
    public static JsonObject ToFieldsV1(IEnumerable<FieldPath> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths)
        {
            var node = root;
            foreach (var segment in path.segments)
            {
                var key = "f:" + segment;
                if (node[key] is not JsonObject child) node[key] = child = new JsonObject();
                node = child;
            }
        }
        return root;
    }

    public static HashSet<FieldPath> FromFieldsV1(JsonObject? fields)
    {
        var result = new HashSet<FieldPath>();
        if (fields is not null) Walk(fields, [], result);
        return result;

        static void Walk(JsonObject node, List<string> prefix, HashSet<FieldPath> into)
        {
            if (node.Count == 0 && prefix.Count > 0) { into.Add(new FieldPath(prefix)); return; }
            foreach (var (key, value) in node)
            {
                if (!key.StartsWith("f:", StringComparison.Ordinal) || value is not JsonObject child) continue;
                prefix.Add(key[2..]);
                Walk(child, prefix, into);
                prefix.RemoveAt(prefix.Count - 1);
            }
        }
    }
}

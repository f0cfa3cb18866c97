using System.Text.Json.Nodes;

namespace Mta.Operator.Tests.FakeApi;

/// <summary>Small JSON tree operations the fake needs: merge patch (RFC 7386), apply-merge, path access.</summary>
public static class JsonTree
{
    public static JsonObject Clone(JsonObject o) => (JsonObject)o.DeepClone();

    /// <summary>RFC 7386 JSON merge patch: null deletes, objects merge, everything else replaces.</summary>
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target as JsonObject is { } t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null) result.Remove(key);
            else result[key] = MergePatch(result[key], value);
        }
        return result;
    }

    /// <summary>Server-side-apply merge: objects merge recursively; lists and scalars from the applied config replace.</summary>
    public static void ApplyInto(JsonObject target, JsonObject applied)
    {
        foreach (var (key, value) in applied)
        {
            if (value is JsonObject vo && target[key] is JsonObject to) ApplyInto(to, vo);
            else if (value is not null) target[key] = value.DeepClone();
        }
    }

    public static JsonNode? At(JsonNode? node, IReadOnlyList<string> path)
    {
        foreach (var segment in path)
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(segment, out node)) return null;
        }
        return node;
    }

    public static bool Exists(JsonNode? node, IReadOnlyList<string> path)
    {
        foreach (var segment in path)
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(segment, out node)) return false;
        }
        return true;
    }

    /// <summary>Removes the value at a path, and any object left empty by the removal.</summary>
    public static void RemoveAt(JsonObject root, IReadOnlyList<string> path)
    {
        var chain = new List<JsonObject> { root };
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (chain[^1][path[i]] is not JsonObject next) return;
            chain.Add(next);
        }
        chain[^1].Remove(path[^1]);
        for (var i = chain.Count - 1; i > 0; i--)
        {
            if (chain[i].Count > 0) break;
            chain[i - 1].Remove(path[i - 1]);
        }
    }

    public static bool Same(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    public static string? Str(JsonNode? node, params string[] path) => At(node, path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>An integer however the node holds it (parsed JSON or a CLR int/long).</summary>
    public static long? Long(JsonNode? node) => node is JsonValue v && long.TryParse(v.ToJsonString(), out var n) ? n : null;

    public static JsonObject Metadata(JsonObject o) => o["metadata"] as JsonObject ?? (JsonObject)(o["metadata"] = new JsonObject());
}

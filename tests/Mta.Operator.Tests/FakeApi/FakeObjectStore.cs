using System.Text.Json.Nodes;

namespace Mta.Operator.Tests.FakeApi;

/// <summary>
/// The fake API server's storage: every object as JSON, one global resourceVersion counter, an event history
/// (compactable, so old resourceVersions answer 410 Gone), open watches, field ownership and owner-reference
/// garbage collection. One lock: correctness over throughput.
/// </summary>
public sealed class FakeObjectStore
{
    private sealed record Entry(FakeResource Resource, JsonObject Object);
    private sealed record HistoryRecord(long ResourceVersion, FakeResource Resource, string Namespace, string Type, JsonObject? Before, JsonObject After);

    private readonly Lock gate = new();
    private readonly Dictionary<string, Entry> objects = new(StringComparer.Ordinal);
    private readonly List<HistoryRecord> history = [];
    private readonly List<FakeWatch> watches = [];
    private long resourceVersion = 100;
    private long compactedThrough;

    public long CurrentResourceVersion { get { lock (gate) return resourceVersion; } }

    public int OpenWatchCount { get { lock (gate) return watches.Count; } }

    private static string Key(FakeResource r, string ns, string name) => $"{r.GroupResource}/{ns}/{name}";
    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    public JsonObject? TryGet(FakeResource r, string ns, string name)
    {
        lock (gate) return objects.TryGetValue(Key(r, ns, name), out var e) ? JsonTree.Clone(e.Object) : null;
    }

    public JsonObject Get(FakeResource r, string ns, string name) => TryGet(r, ns, name) ?? throw FakeApiException.NotFound(r, name);

    public (List<JsonObject> Items, long ResourceVersion) List(FakeResource r, string? ns, LabelSelector selector)
    {
        lock (gate)
        {
            var items = objects.Values
                .Where(e => e.Resource.GroupResource == r.GroupResource && (ns is null || Namespace(e.Object) == ns) && selector.Matches(e.Object))
                .OrderBy(e => Namespace(e.Object), StringComparer.Ordinal).ThenBy(e => Name(e.Object), StringComparer.Ordinal)
                .Select(e => JsonTree.Clone(e.Object)).ToList();
            return (items, resourceVersion);
        }
    }

    public JsonObject Create(FakeResource r, string ns, JsonObject obj, string manager)
    {
        lock (gate)
        {
            obj = JsonTree.Clone(obj);
            var meta = JsonTree.Metadata(obj);
            var name = JsonTree.Str(meta, "name");
            if (string.IsNullOrEmpty(name))
            {
                var prefix = JsonTree.Str(meta, "generateName") ?? throw FakeApiException.BadRequest("name or generateName is required");
                name = prefix + Guid.NewGuid().ToString("n")[..5];
            }
            if (objects.ContainsKey(Key(r, ns, name))) throw FakeApiException.AlreadyExists(r, name);
            obj["apiVersion"] = r.ApiVersion;
            obj["kind"] = r.Kind;
            meta["name"] = name;
            if (r.Namespaced) meta["namespace"] = ns;
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Now();
            meta["generation"] = 1L;
            meta.Remove("managedFields");
            if (r.HasStatus) obj.Remove("status");
            var fields = new ManagedFields();
            fields.RecordUpdate(manager, "", null, obj, statusOnly: false, includeStatus: !r.HasStatus);
            return Commit(r, ns, name, null, obj, fields);
        }
    }

    /// <summary>PUT on the main resource (subresource "") or on /status.</summary>
    public JsonObject Replace(FakeResource r, string ns, string name, JsonObject obj, string manager, string subresource)
    {
        lock (gate)
        {
            var current = Current(r, ns, name);
            CheckPrecondition(r, name, current, JsonTree.Str(obj, "metadata", "resourceVersion"));
            var next = Scope(r, current, obj, subresource);
            var fields = ManagedFields.Read(current);
            fields.RecordUpdate(manager, subresource, current, next, statusOnly: subresource == "status", includeStatus: !r.HasStatus);
            return Commit(r, ns, name, current, next, fields);
        }
    }

    /// <summary>JSON merge patch (also used for strategic merge patch, whose list semantics the fake does not model).</summary>
    public JsonObject MergePatch(FakeResource r, string ns, string name, JsonObject patch, string manager, string subresource)
    {
        lock (gate)
        {
            var current = Current(r, ns, name);
            CheckPrecondition(r, name, current, JsonTree.Str(patch, "metadata", "resourceVersion"));
            var patched = (JsonObject)JsonTree.MergePatch(current, patch)!;
            var next = Scope(r, current, patched, subresource);
            var fields = ManagedFields.Read(current);
            fields.RecordUpdate(manager, subresource, current, next, statusOnly: subresource == "status", includeStatus: !r.HasStatus);
            return Commit(r, ns, name, current, next, fields);
        }
    }

    /// <summary>Server-side apply: creates or merges, tracks ownership, answers 409 on another manager's field unless forced.</summary>
    public (JsonObject Object, bool Created) Apply(FakeResource r, string ns, string name, JsonObject config, string manager, bool force, string subresource)
    {
        lock (gate)
        {
            if (JsonTree.Str(config, "apiVersion") != r.ApiVersion || JsonTree.Str(config, "kind") != r.Kind)
                throw FakeApiException.BadRequest($"apply config must carry apiVersion {r.ApiVersion} and kind {r.Kind}");
            if (JsonTree.Str(config, "metadata", "name") is { } configName && configName != name)
                throw FakeApiException.BadRequest("the name of the object does not match the name on the URL");
            var exists = objects.TryGetValue(Key(r, ns, name), out var entry);
            if (!exists && subresource == "status") throw FakeApiException.NotFound(r, name);
            var current = exists ? JsonTree.Clone(entry!.Object) : null;
            if (current is not null) CheckPrecondition(r, name, current, JsonTree.Str(config, "metadata", "resourceVersion"));

            var statusOnly = subresource == "status";
            var applied = FieldPath.LeavesOf(config, statusOnly, includeStatus: !r.HasStatus);
            var fields = current is null ? new ManagedFields() : ManagedFields.Read(current);
            var baseObject = current ?? new JsonObject
            {
                ["apiVersion"] = r.ApiVersion, ["kind"] = r.Kind,
                ["metadata"] = new JsonObject { ["name"] = name },
            };
            var next = JsonTree.Clone(baseObject);
            foreach (var dropped in fields.AppliedBy(manager, subresource).Where(p => !applied.Contains(p)))
            {
                if (fields.ManagersOf(dropped).All(m => m == manager)) JsonTree.RemoveAt(next, dropped.Segments);
            }
            foreach (var path in applied)
            {
                var value = JsonTree.At(config, path.Segments);
                SetAt(next, path.Segments, value?.DeepClone());
            }
            next = Scope(r, current ?? next, next, subresource);

            var conflicts = fields.Conflicts(manager, applied, baseObject, next);
            if (conflicts.Count > 0 && !force)
            {
                var causes = new JsonArray();
                foreach (var (other, path) in conflicts)
                    causes.Add(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = $"conflict with \"{other}\"", ["field"] = path.ToString() });
                throw new FakeApiException(409, "Conflict",
                    $"Apply failed with {conflicts.Count} conflict(s): " + string.Join("; ", conflicts.Select(c => $"conflict with \"{c.Manager}\": {c.Path}")), causes);
            }
            fields.RecordApply(manager, subresource, applied, baseObject, next);
            if (current is null)
            {
                var meta = JsonTree.Metadata(next);
                if (r.Namespaced) meta["namespace"] = ns;
                meta["uid"] = Guid.NewGuid().ToString();
                meta["creationTimestamp"] = Now();
                meta["generation"] = 1L;
            }
            return (Commit(r, ns, name, current, next, fields), current is null);
        }
    }

    public JsonObject Delete(FakeResource r, string ns, string name, string? preconditionResourceVersion)
    {
        JsonObject deleted;
        lock (gate)
        {
            var current = Current(r, ns, name);
            CheckPrecondition(r, name, current, preconditionResourceVersion);
            objects.Remove(Key(r, ns, name));
            deleted = JsonTree.Clone(current);
            JsonTree.Metadata(deleted)["resourceVersion"] = (++resourceVersion).ToString();
            Record(r, ns, "DELETED", current, deleted);
        }
        // Background propagation, as the garbage collector does: the owner is gone first, its dependents soon after.
        var uid = JsonTree.Str(deleted, "metadata", "uid");
        _ = Task.Run(() => CollectDependents(uid!, ns));
        return deleted;
    }

    /// <summary>Sets status the way another controller would (e.g. the Deployment controller), bypassing the API.</summary>
    public JsonObject SetStatus(FakeResource r, string ns, string name, JsonObject status) =>
        MergePatch(r, ns, name, new JsonObject { ["status"] = status }, "fake-controller", r.HasStatus ? "status" : "");

    public FakeWatch Watch(FakeResource r, string? ns, LabelSelector selector, long? fromResourceVersion, bool bookmarks)
    {
        lock (gate)
        {
            var watch = new FakeWatch(r, ns, selector, bookmarks);
            if (fromResourceVersion is null or 0)
            {
                foreach (var e in objects.Values.Where(e => watch.Covers(e.Resource, Namespace(e.Object)) && watch.Selects(e.Object)))
                    watch.Send("ADDED", e.Object);
            }
            else
            {
                if (fromResourceVersion < compactedThrough) throw FakeApiException.Gone(fromResourceVersion.Value, compactedThrough);
                foreach (var h in history.Where(h => h.ResourceVersion > fromResourceVersion)) Deliver(watch, h);
            }
            watches.Add(watch);
            return watch;
        }
    }

    public void Unregister(FakeWatch watch)
    {
        lock (gate) watches.Remove(watch);
    }

    /// <summary>Forgets the event history up to now: watches from any older resourceVersion then get 410 Gone.</summary>
    public void Compact()
    {
        lock (gate)
        {
            compactedThrough = resourceVersion;
            history.Clear();
        }
    }

    public void CloseWatches(bool abort = false)
    {
        lock (gate)
        {
            foreach (var w in watches) w.Close(abort);
            watches.Clear();
        }
    }

    /// <summary>Sends a BOOKMARK carrying the current resourceVersion to every watch that asked for bookmarks.</summary>
    public void SendBookmarks()
    {
        lock (gate)
        {
            foreach (var w in watches.Where(w => w.WantsBookmarks))
            {
                w.Send("BOOKMARK", new JsonObject
                {
                    ["apiVersion"] = w.Resource.ApiVersion, ["kind"] = w.Resource.Kind,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(), ["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" } },
                });
            }
        }
    }

    private JsonObject Current(FakeResource r, string ns, string name) =>
        objects.TryGetValue(Key(r, ns, name), out var e) ? JsonTree.Clone(e.Object) : throw FakeApiException.NotFound(r, name);

    private static void CheckPrecondition(FakeResource r, string name, JsonObject current, string? expected)
    {
        if (!string.IsNullOrEmpty(expected) && expected != JsonTree.Str(current, "metadata", "resourceVersion"))
            throw FakeApiException.Conflict(r, name);
    }

    /// <summary>What a write may change: /status changes only status; the main resource never changes status
    /// (when a status subresource exists), nor identity or server-owned metadata.</summary>
    private static JsonObject Scope(FakeResource r, JsonObject current, JsonObject proposed, string subresource)
    {
        if (subresource == "status")
        {
            var statusOnly = JsonTree.Clone(current);
            if (proposed["status"] is { } s) statusOnly["status"] = s.DeepClone(); else statusOnly.Remove("status");
            return statusOnly;
        }
        var next = JsonTree.Clone(proposed);
        var meta = JsonTree.Metadata(next);
        var currentMeta = JsonTree.Metadata(current);
        foreach (var serverOwned in new[] { "uid", "creationTimestamp", "generation", "namespace", "name", "resourceVersion", "managedFields", "deletionTimestamp" })
        {
            if (currentMeta[serverOwned] is { } v) meta[serverOwned] = v.DeepClone(); else meta.Remove(serverOwned);
        }
        if (r.HasStatus)
        {
            if (current["status"] is { } s) next["status"] = s.DeepClone(); else next.Remove("status");
        }
        next["apiVersion"] = r.ApiVersion;
        next["kind"] = r.Kind;
        return next;
    }

    private JsonObject Commit(FakeResource r, string ns, string name, JsonObject? before, JsonObject after, ManagedFields fields)
    {
        var meta = JsonTree.Metadata(after);
        if (before is not null)
        {
            fields.WriteTo(after, r.ApiVersion, Now());
            // A no-op write (same content, same owners) is not a new version, as on the apiserver.
            if (JsonTree.Same(WithoutOwnershipTimes(before), WithoutOwnershipTimes(after))) return before;
            if (!JsonTree.Same(WithoutMetaAndStatus(before), WithoutMetaAndStatus(after)))
                meta["generation"] = (JsonTree.Long(JsonTree.At(before, ["metadata", "generation"])) ?? 0) + 1;
        }
        else
        {
            fields.WriteTo(after, r.ApiVersion, Now());
        }
        meta["resourceVersion"] = (++resourceVersion).ToString();
        objects[Key(r, ns, name)] = new Entry(r, JsonTree.Clone(after));
        Record(r, ns, before is null ? "ADDED" : "MODIFIED", before, after);
        return JsonTree.Clone(after);
    }

    private static JsonObject WithoutOwnershipTimes(JsonObject o)
    {
        var copy = JsonTree.Clone(o);
        if (JsonTree.At(copy, ["metadata", "managedFields"]) is JsonArray entries)
            foreach (var entry in entries.OfType<JsonObject>()) entry.Remove("time");
        return copy;
    }

    private static JsonObject WithoutMetaAndStatus(JsonObject o)
    {
        var copy = JsonTree.Clone(o);
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }

    private void Record(FakeResource r, string ns, string type, JsonObject? before, JsonObject after)
    {
        var record = new HistoryRecord(resourceVersion, r, ns, type, before is null ? null : JsonTree.Clone(before), JsonTree.Clone(after));
        history.Add(record);
        foreach (var w in watches) Deliver(w, record);
    }

    /// <summary>Sends one change to a watch, translating selector transitions into ADDED/DELETED as the apiserver does.</summary>
    private static void Deliver(FakeWatch w, HistoryRecord h)
    {
        if (!w.Covers(h.Resource, h.Namespace)) return;
        var nowMatches = h.Type != "DELETED" && w.Selects(h.After);
        var matchedBefore = h.Type == "DELETED" ? w.Selects(h.Before) : h.Before is not null && w.Selects(h.Before);
        if (h.Type == "DELETED") { if (matchedBefore) w.Send("DELETED", h.After); return; }
        if (nowMatches) w.Send(matchedBefore ? "MODIFIED" : "ADDED", h.After);
        else if (matchedBefore) w.Send("DELETED", h.After);
    }

    private void CollectDependents(string ownerUid, string ns)
    {
        List<(FakeResource, string)> dependents;
        lock (gate)
        {
            dependents = objects.Values
                .Where(e => Namespace(e.Object) == ns && JsonTree.At(e.Object, ["metadata", "ownerReferences"]) is JsonArray refs
                    && refs.Any(o => JsonTree.Str(o, "uid") == ownerUid))
                .Select(e => (e.Resource, Name(e.Object))).ToList();
        }
        foreach (var (r, name) in dependents)
        {
            try { Delete(r, ns, name, null); }
            catch (FakeApiException e) when (e.Code == 404) { }
        }
    }

    private static void SetAt(JsonObject root, IReadOnlyList<string> path, JsonNode? value)
    {
        var node = root;
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (node[path[i]] is not JsonObject next) node[path[i]] = next = new JsonObject();
            node = next;
        }
        node[path[^1]] = value;
    }

    private static string Namespace(JsonObject o) => JsonTree.Str(o, "metadata", "namespace") ?? "";
    private static string Name(JsonObject o) => JsonTree.Str(o, "metadata", "name") ?? "";
}

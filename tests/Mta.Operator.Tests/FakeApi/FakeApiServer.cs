using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mta.Operator.Tests.FakeApi;

/// <summary>
/// An in-process Kubernetes API server over real HTTP (Kestrel on 127.0.0.1, a free port) that the unchanged
/// KubernetesClient talks to: CRUD, status subresource, merge patch, server-side apply with field ownership,
/// list/watch with resourceVersions, bookmarks, 410 Gone after compaction, owner-reference GC, discovery.
/// Test hooks: <see cref="Store"/> (direct reads/writes, compaction, closing watches), <see cref="PauseWatches"/>.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<string> requests = new();
    private readonly Timer? bookmarkTimer;
    private volatile TaskCompletionSource watchGate = CompletedGate();
    private readonly ConcurrentQueue<(Func<HttpRequest, bool> Matches, FakeApiException Error)> injected = new();

    public FakeObjectStore Store { get; } = new();
    public FakeResourceCatalog Catalog { get; } = new();
    public Uri Uri { get; private set; } = null!;

    /// <summary>"METHOD path?query" of every request, for assertions such as "a relist happened".</summary>
    public IReadOnlyCollection<string> Requests => requests;

    private FakeApiServer(TimeSpan? bookmarkInterval)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.Run(HandleAsync);
        if (bookmarkInterval is { } every) bookmarkTimer = new Timer(_ => Store.SendBookmarks(), null, every, every);
    }

    public static async Task<FakeApiServer> StartAsync(TimeSpan? bookmarkInterval = null)
    {
        var server = new FakeApiServer(bookmarkInterval);
        await server.app.StartAsync();
        server.Uri = new Uri(server.app.Urls.First());
        return server;
    }

    /// <summary>A client exactly as production builds one, pointed at this server.</summary>
    public Kubernetes CreateClient(params DelegatingHandler[] handlers) => new(new KubernetesClientConfiguration { Host = Uri.ToString() }, handlers);

    /// <summary>New watch requests wait (without answering) until <see cref="ResumeWatches"/>.</summary>
    public void PauseWatches() => watchGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ResumeWatches() => watchGate.TrySetResult();

    /// <summary>Answers the next request that matches with the given error instead of serving it (e.g. a 409 that a
    /// concurrent writer would cause on a real apiserver).</summary>
    public void FailNext(Func<HttpRequest, bool> matches, FakeApiException error) => injected.Enqueue((matches, error));

    public int CountRequests(string method, string pathPart, string? queryPart = null) =>
        requests.Count(r => r.StartsWith(method + " ", StringComparison.Ordinal) && r.Contains(pathPart, StringComparison.Ordinal)
            && (queryPart is null || r.Contains(queryPart, StringComparison.Ordinal)));

    public async ValueTask DisposeAsync()
    {
        bookmarkTimer?.Dispose();
        ResumeWatches();
        Store.CloseWatches(abort: true);
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        requests.Enqueue($"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString} @{DateTime.UtcNow:ss.fff}");
        try
        {
            if (injected.TryPeek(out var failure) && failure.Matches(ctx.Request) && injected.TryDequeue(out failure)) throw failure.Error;
            if (Discovery(ctx.Request.Path.Value ?? "/") is { } document) { await WriteJson(ctx, 200, document); return; }
            var route = FakeApiRoute.Parse(ctx.Request.Path.Value ?? "/") ?? throw new FakeApiException(404, "NotFound", "the server could not find the requested resource");
            var resource = Catalog.Find(route.Group, route.Version, route.Plural)
                ?? throw new FakeApiException(404, "NotFound", $"the server could not find the requested resource ({route.Group}/{route.Version} {route.Plural})");
            if (route.Subresource is not ("" or "status") || (route.Subresource == "status" && !resource.HasStatus))
                throw new FakeApiException(404, "NotFound", $"subresource {route.Subresource} of {resource} is not served");
            if (resource.Namespaced && route.Namespace is null && (route.Name is not null || ctx.Request.Method != "GET"))
                throw FakeApiException.BadRequest("a namespace is required");
            await Dispatch(ctx, resource, route);
        }
        catch (FakeApiException e)
        {
            if (!ctx.Response.HasStarted) await WriteJson(ctx, e.Code, e.ToStatus());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (!ctx.Response.HasStarted) await WriteJson(ctx, 500, new FakeApiException(500, "InternalError", "fake API server bug: " + e).ToStatus());
        }
    }

    private JsonObject? Discovery(string path) => path.TrimEnd('/') switch
    {
        "/api" => Catalog.CoreVersions(),
        "/api/v1" => Catalog.ResourceList("", "v1"),
        "/apis" => Catalog.GroupList(),
        var p when p.StartsWith("/apis/", StringComparison.Ordinal) && p.Count(c => c == '/') == 3
            && Catalog.Serves(p.Split('/')[2], p.Split('/')[3]) => Catalog.ResourceList(p.Split('/')[2], p.Split('/')[3]),
        _ => null,
    };

    private async Task Dispatch(HttpContext ctx, FakeResource r, FakeApiRoute route)
    {
        var q = ctx.Request.Query;
        var ns = route.Namespace ?? "";
        var manager = q["fieldManager"].FirstOrDefault() ?? UserAgentManager(ctx);
        switch (ctx.Request.Method)
        {
            case "GET" when route.Name is null && IsTrue(q["watch"]):
                await ServeWatch(ctx, r, route.Namespace);
                return;
            case "GET" when route.Name is null:
                var (items, rv) = Store.List(r, route.Namespace, new LabelSelector(q["labelSelector"]));
                await WriteJson(ctx, 200, new JsonObject
                {
                    ["apiVersion"] = r.ApiVersion, ["kind"] = r.Kind + "List",
                    ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString() }, ["items"] = new JsonArray([.. items]),
                });
                return;
            case "GET":
                await WriteJson(ctx, 200, Store.Get(r, ns, route.Name!));
                return;
            case "POST" when route.Name is null:
                await WriteJson(ctx, 201, Store.Create(r, ns, await ReadObject(ctx), manager));
                return;
            case "PUT" when route.Name is not null:
                await WriteJson(ctx, 200, Store.Replace(r, ns, route.Name, await ReadObject(ctx), manager, route.Subresource));
                return;
            case "PATCH" when route.Name is not null:
                await Patch(ctx, r, ns, route, manager);
                return;
            case "DELETE" when route.Name is not null:
                var options = ctx.Request.ContentLength > 0 ? await ReadObject(ctx) : null;
                var deleted = Store.Delete(r, ns, route.Name, JsonTree.Str(options, "preconditions", "resourceVersion"));
                await WriteJson(ctx, 200, new JsonObject
                {
                    ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success",
                    ["details"] = new JsonObject { ["name"] = route.Name, ["group"] = r.Group, ["kind"] = r.Plural, ["uid"] = JsonTree.Str(deleted, "metadata", "uid") },
                });
                return;
            default:
                throw new FakeApiException(405, "MethodNotAllowed", $"{ctx.Request.Method} is not supported on {ctx.Request.Path}");
        }
    }

    private async Task Patch(HttpContext ctx, FakeResource r, string ns, FakeApiRoute route, string manager)
    {
        var contentType = ctx.Request.ContentType?.Split(';')[0].Trim() ?? "";
        var body = await ReadObject(ctx);
        switch (contentType)
        {
            case "application/apply-patch+yaml":
                if (!ctx.Request.Query.ContainsKey("fieldManager")) throw FakeApiException.BadRequest("fieldManager is required for apply requests");
                var (obj, created) = Store.Apply(r, ns, route.Name!, body, manager, IsTrue(ctx.Request.Query["force"]), route.Subresource);
                await WriteJson(ctx, created ? 201 : 200, obj);
                return;
            case "application/merge-patch+json" or "application/strategic-merge-patch+json":
                await WriteJson(ctx, 200, Store.MergePatch(r, ns, route.Name!, body, manager, route.Subresource));
                return;
            default:
                throw new FakeApiException(415, "UnsupportedMediaType", $"the fake does not support patch type {contentType}");
        }
    }

    private async Task ServeWatch(HttpContext ctx, FakeResource r, string? ns)
    {
        await watchGate.Task.WaitAsync(ctx.RequestAborted);
        var q = ctx.Request.Query;
        long? from = long.TryParse(q["resourceVersion"].FirstOrDefault(), out var v) ? v : null;
        var timeout = int.TryParse(q["timeoutSeconds"].FirstOrDefault(), out var t) && t > 0 ? TimeSpan.FromSeconds(t) : Timeout.InfiniteTimeSpan;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        FakeWatch watch;
        try
        {
            watch = Store.Watch(r, ns, new LabelSelector(q["labelSelector"]), from, IsTrue(q["allowWatchBookmarks"]));
        }
        catch (FakeApiException gone) when (gone.Code == 410)
        {
            // The apiserver answers an expired watch with 200 and one ERROR event carrying the 410 Status.
            await ctx.Response.WriteAsync(new JsonObject { ["type"] = "ERROR", ["object"] = gone.ToStatus() }.ToJsonString() + "\n");
            return;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        stop.CancelAfter(timeout);
        try
        {
            await ctx.Response.StartAsync(stop.Token);
            await ctx.Response.Body.FlushAsync(stop.Token);
            await foreach (var line in watch.Lines.ReadAllAsync(stop.Token))
            {
                await ctx.Response.WriteAsync(line + "\n", stop.Token);
                await ctx.Response.Body.FlushAsync(stop.Token);
            }
            if (watch.AbortRequested) ctx.Abort();
        }
        catch (OperationCanceledException) when (!ctx.RequestAborted.IsCancellationRequested)
        {
            // timeoutSeconds elapsed: end the stream normally, as the apiserver does.
        }
        catch (OperationCanceledException) { }
        finally
        {
            Store.Unregister(watch);
        }
    }

    private static async Task<JsonObject> ReadObject(HttpContext ctx)
    {
        try
        {
            return await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted) as JsonObject
                ?? throw FakeApiException.BadRequest("the request body must be a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw FakeApiException.BadRequest("the fake reads JSON bodies only (YAML apply configs are not parsed): " + e.Message);
        }
    }

    private static async Task WriteJson(HttpContext ctx, int code, JsonObject body)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body.ToJsonString());
    }

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues v) => v.FirstOrDefault() is "true" or "1";

    /// <summary>The apiserver's default field manager: the user agent's product name.</summary>
    private static string UserAgentManager(HttpContext ctx) =>
        ctx.Request.Headers.UserAgent.FirstOrDefault()?.Split('/')[0] is { Length: > 0 } ua ? ua : "unknown";
}

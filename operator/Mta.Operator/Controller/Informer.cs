using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Mta.Operator.Controller;

/// <summary>
/// List+watch with a local cache for one kind: LIST, then WATCH from the list's resourceVersion with bookmarks and a
/// bounded timeoutSeconds; a closed stream resumes from the last seen version; 410 Gone (history compacted) relists
/// and synthesizes DELETED for objects that vanished meanwhile; other errors reconnect with exponential backoff.
/// </summary>
public sealed class Informer<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ListWatchSource<T> source;
    private readonly InformerOptions options;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<ObjectKey, T> cache = new();
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ExponentialBackoff reconnect;
    private long lastActivityTicks = DateTimeOffset.UtcNow.UtcTicks;

    public Informer(ListWatchSource<T> source, InformerOptions options, ILogger logger)
    {
        this.source = source;
        this.options = options;
        this.logger = logger;
        reconnect = new ExponentialBackoff(options.ReconnectBaseDelay, options.ReconnectMaxDelay);
    }

    /// <summary>Called for every change (ADDED, MODIFIED, DELETED), also those synthesized by a relist.</summary>
    public event Action<WatchEventType, T>? Changed;

    public string Kind => source.Kind;

    /// <summary>Completes after the first successful LIST filled the cache.</summary>
    public Task Synced => synced.Task;

    public bool HasSynced => synced.Task.IsCompleted;

    /// <summary>Last LIST, event, bookmark or clean reconnect: the liveness heartbeat.</summary>
    public DateTimeOffset LastActivity => new(Interlocked.Read(ref lastActivityTicks), TimeSpan.Zero);

    /// <summary>The resourceVersion the next watch resumes from; null means the next round LISTs.</summary>
    public string? ResourceVersion { get; private set; }

    public int Relists { get; private set; }

    public bool TryGet(ObjectKey key, out T? value) => cache.TryGetValue(key, out value);

    public IReadOnlyCollection<T> Items => cache.Values.ToList();

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (ResourceVersion is null) await RelistAsync(ct).ConfigureAwait(false);
                await WatchOnceAsync(ResourceVersion!, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (KubernetesException e) when (e.Status?.Code == (int)HttpStatusCode.Gone)
            {
                logger.LogInformation("Watch of {Kind} expired at resourceVersion {Version}: relisting", Kind, ResourceVersion);
                ResourceVersion = null;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
            {
                ResourceVersion = null;
            }
            catch (Exception e)
            {
                var delay = reconnect.Next("watch");
                logger.LogWarning("Watch of {Kind} failed ({Error}); reconnecting in {Delay} ms", Kind, e.Message, (int)delay.TotalMilliseconds);
                try { await Task.Delay(delay, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    private async Task RelistAsync(CancellationToken ct)
    {
        var (items, version) = await source.List(ct).ConfigureAwait(false);
        Relists++;
        var seen = new HashSet<ObjectKey>();
        foreach (var item in items)
        {
            var key = ObjectKey.Of(item);
            seen.Add(key);
            var existed = cache.TryGetValue(key, out var old);
            cache[key] = item;
            if (!existed) Raise(WatchEventType.Added, item);
            else if (old!.Metadata.ResourceVersion != item.Metadata.ResourceVersion) Raise(WatchEventType.Modified, item);
        }
        foreach (var (key, gone) in cache.Where(kv => !seen.Contains(kv.Key)).ToList())
        {
            cache.TryRemove(key, out _);
            Raise(WatchEventType.Deleted, gone); // the deletion happened while we were not watching
        }
        ResourceVersion = version;
        Touch();
        synced.TrySetResult();
    }

    private async Task WatchOnceAsync(string fromVersion, CancellationToken ct)
    {
        var timeout = Random.Shared.Next(options.MinWatchTimeoutSeconds, options.MaxWatchTimeoutSeconds + 1);
        var events = 0;
        var started = DateTimeOffset.UtcNow;
        await foreach (var (type, obj) in source.Watch(fromVersion, timeout, e => throw e, ct).ConfigureAwait(false))
        {
            events++;
            Touch();
            reconnect.Forget("watch");
            if (obj.Metadata?.ResourceVersion is { Length: > 0 } rv) ResourceVersion = rv;
            switch (type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    cache[ObjectKey.Of(obj)] = obj;
                    Raise(type, obj);
                    break;
                case WatchEventType.Deleted:
                    cache.TryRemove(ObjectKey.Of(obj), out _);
                    Raise(type, obj);
                    break;
                case WatchEventType.Bookmark:
                    break; // only the resourceVersion matters
            }
        }
        // A clean end (timeoutSeconds or a server closing the stream): resume from the last version, but do not
        // spin if the server keeps closing at once.
        Touch();
        if (events == 0 && DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(1))
            await Task.Delay(reconnect.Next("watch"), ct).ConfigureAwait(false);
    }

    private void Touch() => Interlocked.Exchange(ref lastActivityTicks, DateTimeOffset.UtcNow.UtcTicks);

    private void Raise(WatchEventType type, T obj)
    {
        try { Changed?.Invoke(type, obj); }
        catch (Exception e) { logger.LogError(e, "Handler for {Kind} {Type} failed", Kind, type); }
    }
}

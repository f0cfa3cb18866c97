using System.Text.Json;
using k8s;
using Mta.Operator.Api;

namespace Mta.Operator.Controller;

/// <summary>List and watch of MailServers through the CustomObjects API (whose bodies arrive untyped).</summary>
public static class MailServerSource
{
    public static ListWatchSource<MailServer> Create(IKubernetes k, string? ns) => new(MailServer.EntityKind,
        async ct =>
        {
            var body = (JsonElement)(ns is null
                ? await k.CustomObjects.ListClusterCustomObjectAsync(MailServer.Group, MailServer.Version, MailServer.Plural, cancellationToken: ct).ConfigureAwait(false)
                : await k.CustomObjects.ListNamespacedCustomObjectAsync(MailServer.Group, MailServer.Version, ns, MailServer.Plural, cancellationToken: ct).ConfigureAwait(false));
            var items = body.GetProperty("items").EnumerateArray().Select(Parse).ToList();
            return (items, body.GetProperty("metadata").GetProperty("resourceVersion").GetString()!);
        },
        (rv, timeout, onError, ct) => Typed(ns is null
            ? k.CustomObjects.WatchListClusterCustomObjectAsync(MailServer.Group, MailServer.Version, MailServer.Plural,
                allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
            : k.CustomObjects.WatchListNamespacedCustomObjectAsync(MailServer.Group, MailServer.Version, ns, MailServer.Plural,
                allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)));

    public static MailServer Parse(JsonElement element) => KubernetesJson.Deserialize<MailServer>(element.GetRawText());

    public static MailServer Parse(object body) => body is JsonElement e ? Parse(e) : KubernetesJson.Deserialize<MailServer>(KubernetesJson.Serialize(body));

    private static async IAsyncEnumerable<(WatchEventType, MailServer)> Typed(IAsyncEnumerable<(WatchEventType, object)> events)
    {
        await foreach (var (type, obj) in events.ConfigureAwait(false)) yield return (type, Parse(obj));
    }
}

using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Mta.Operator.Tests.FakeApi;

/// <summary>
/// One open watch: the store writes event lines into it (under the store's lock, so order = resourceVersion order);
/// the HTTP handler drains it onto the response. Closing ends the stream cleanly or aborts the connection.
/// </summary>
public sealed class FakeWatch(FakeResource resource, string? ns, LabelSelector selector, bool bookmarks)
{
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public FakeResource Resource { get; } = resource;
    public bool WantsBookmarks { get; } = bookmarks;
    public bool AbortRequested { get; private set; }

    public ChannelReader<string> Lines => lines.Reader;

    public bool Covers(FakeResource r, string objectNamespace) =>
        r.GroupResource == Resource.GroupResource && (ns is null || ns == objectNamespace);

    public bool Selects(JsonObject? obj) => obj is not null && selector.Matches(obj);

    public void Send(string type, JsonObject obj) =>
        lines.Writer.TryWrite(new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString());

    public void Close(bool abort)
    {
        AbortRequested = abort;
        lines.Writer.TryComplete();
    }
}

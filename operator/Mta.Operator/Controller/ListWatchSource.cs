using k8s;

namespace Mta.Operator.Controller;

/// <summary>One watched kind as the two calls an informer makes: LIST (items + resourceVersion) and WATCH from a version.</summary>
public sealed record ListWatchSource<T>(
    string Kind,
    Func<CancellationToken, Task<(IReadOnlyList<T> Items, string ResourceVersion)>> List,
    Func<string, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Object)>> Watch);

using k8s;
using k8s.Models;

namespace Mta.Operator.Controller;

/// <summary>
/// One kind of object a MailServer owns, as the calls the controller makes on it: server-side apply, delete,
/// list by label (for pruning) and, for kinds it watches, an informer source. Built by <see cref="ChildKinds"/>.
/// </summary>
public sealed record ChildKind(
    string ApiVersion,
    string Kind,
    string Plural,
    bool Watched,
    bool Prunable,
    Func<IKubernetes, V1Patch, string, string, CancellationToken, Task<object>> Apply,
    Func<IKubernetes, string, string, CancellationToken, Task> Delete,
    Func<IKubernetes, string, string, CancellationToken, Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>>> List,
    Func<IKubernetes, string?, string, ListWatchSource<IKubernetesObject<V1ObjectMeta>>>? Source)
{
    public string Group => ApiVersion.Contains('/') ? ApiVersion[..ApiVersion.IndexOf('/')] : "";
    public string Version => ApiVersion[(ApiVersion.IndexOf('/') + 1)..];
}

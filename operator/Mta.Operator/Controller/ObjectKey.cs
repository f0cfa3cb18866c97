using k8s;
using k8s.Models;

namespace Mta.Operator.Controller;

/// <summary>namespace/name: the work-queue key and the cache key of every informer.</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> obj) => new(obj.Metadata.NamespaceProperty ?? "", obj.Metadata.Name);

    public static ObjectKey Parse(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? new ObjectKey("", key) : new ObjectKey(key[..slash], key[(slash + 1)..]);
    }

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}

namespace Mta.Operator.Tests.FakeApi;

/// <summary>One REST resource the fake API server serves (one version per group/resource).</summary>
public sealed record FakeResource(string Group, string Version, string Plural, string Kind, bool Namespaced = true, bool HasStatus = false)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Storage identity: objects are the same whatever version they are read through.</summary>
    public string GroupResource => $"{Plural}.{Group}";

    public override string ToString() => $"{ApiVersion} {Plural}";
}

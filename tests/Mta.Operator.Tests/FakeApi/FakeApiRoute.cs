namespace Mta.Operator.Tests.FakeApi;

/// <summary>A request path split into the REST parts: /api/v1/namespaces/NS/PLURAL/NAME/SUB or /apis/G/V/...</summary>
public sealed record FakeApiRoute(string Group, string Version, string? Namespace, string Plural, string? Name, string Subresource)
{
    /// <summary>Parses a resource path; null for discovery paths and anything else that is not a resource.</summary>
    public static FakeApiRoute? Parse(string path)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        string group, version;
        ArraySegment<string> rest;
        if (parts.Length >= 3 && parts[0] == "api") { group = ""; version = parts[1]; rest = parts[2..]; }
        else if (parts.Length >= 4 && parts[0] == "apis") { group = parts[1]; version = parts[2]; rest = parts[3..]; }
        else return null;

        string? ns = null;
        if (rest.Count >= 3 && rest[0] == "namespaces") { ns = rest[1]; rest = rest[2..]; }
        if (rest.Count is < 1 or > 3) return null;
        return new FakeApiRoute(group, version, ns, rest[0], rest.Count > 1 ? rest[1] : null, rest.Count > 2 ? rest[2] : "");
    }
}

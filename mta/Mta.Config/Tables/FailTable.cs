namespace Mta.Config.Tables;

/// <summary>fail:name: every lookup fails as if the table were unreachable (dict_fail.c), for testing error paths.</summary>
public sealed class FailTable(string name) : ILookupTable
{
    public string Reference { get; } = "fail:" + name;
    public bool IsFixed => true;

    public ValueTask<string?> LookupAsync(string key, CancellationToken cancellationToken = default)
        => ValueTask.FromException<string?>(new TableLookupException(Reference, "table lookup failed"));
}

namespace Mta.Config.Tables;

/// <summary>
/// unix:passwd.byname and unix:group.byname (dict_unix.c): the system's /etc/passwd and /etc/group, keyed by
/// name, the value being the whole entry. local_recipient_maps defaults to proxy:unix:passwd.byname $alias_maps.
/// Keys are not case-folded (user names are case-sensitive). The file is re-read when it changes.
/// </summary>
public sealed class UnixTable : ILookupTable
{
    private readonly string _path;
    private Dictionary<string, string> _entries = new(StringComparer.Ordinal);
    private DateTime _stamp;

    public UnixTable(string name, string? path = null)
    {
        Reference = "unix:" + name;
        _path = path ?? name switch
        {
            "passwd.byname" => "/etc/passwd",
            "group.byname" => "/etc/group",
            _ => throw new TableLookupException(Reference, $"unknown table: {name}"),
        };
        Load();
    }

    public string Reference { get; }
    public bool IsFixed => true;

    public ValueTask<string?> LookupAsync(string key, CancellationToken cancellationToken = default)
    {
        if (File.GetLastWriteTimeUtc(_path) != _stamp)
            Load();
        return ValueTask.FromResult(_entries.TryGetValue(key, out var v) ? v : null);
    }

    private void Load()
    {
        try
        {
            var stamp = File.GetLastWriteTimeUtc(_path);
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines(_path))
            {
                var colon = line.IndexOf(':');
                if (colon > 0 && !line.StartsWith('#'))
                    map.TryAdd(line[..colon], line);
            }
            (_entries, _stamp) = (map, stamp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TableLookupException(Reference, $"open {_path}: {e.Message}", e);
        }
    }
}

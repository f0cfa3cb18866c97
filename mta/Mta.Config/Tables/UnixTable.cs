namespace Mta.Config.Tables;

/// <summary>
/// unix:passwd.byname and unix:group.byname (dict_unix.c): the system's user and group files, looked up by name,
/// answering the whole "name:passwd:uid:gid:..." line. local_recipient_maps' default (proxy:unix:passwd.byname
/// $alias_maps) needs it: a UNIX account is a local recipient. Read per lookup, as getpwnam(3) would.
/// </summary>
public sealed class UnixTable : ILookupTable
{
    private readonly string _path;

    public UnixTable(string name, string passwdFile = "/etc/passwd", string groupFile = "/etc/group")
    {
        Reference = "unix:" + name;
        _path = name switch
        {
            "passwd.byname" => passwdFile,
            "group.byname" => groupFile,
            _ => throw new TableLookupException(Reference, $"unknown table: unix:{name}"),
        };
    }

    public string Reference { get; }
    public bool IsFixed => true;

    public async ValueTask<string?> LookupAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(_path))
            return null;
        var prefix = key + ":";
        foreach (var line in await File.ReadAllLinesAsync(_path, cancellationToken))
            if (line.StartsWith(prefix, StringComparison.Ordinal))
                return line;
        return null;
    }
}

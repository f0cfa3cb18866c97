namespace Mta.Config.Tables;

/// <summary>
/// hash:, btree:, lmdb:, cdb:, dbm: and texthash: tables: a fixed-string table held in memory.
/// Indexed types read the file postmap built (<see cref="IndexedTableFile"/>); while that file is absent (or was
/// left by a real Postfix in a format we do not read) they read the source text file itself, so a configuration
/// works before anyone ran postmap. texthash: always reads the source. The file is re-read when its modification
/// time changes (checked at most every <see cref="TableOpenOptions.ReloadCheckInterval"/>, default 1 s), which is
/// how a rebuilt table becomes visible to running daemons.
/// </summary>
public sealed class FileTable : ILookupTable
{
    private readonly string _type;
    private readonly string _name;
    private readonly TableOpenOptions _options;
    private readonly TimeSpan _checkInterval;
    private readonly object _gate = new();
    private Dictionary<string, string> _entries = new(StringComparer.Ordinal);
    private string _loadedFrom = "";
    private DateTime _loadedStamp;
    private long _nextCheckTicks;

    public FileTable(string type, string name, TableOpenOptions options)
    {
        _type = type.ToLowerInvariant();
        _name = name;
        _options = options;
        _checkInterval = options.ReloadCheckInterval ?? TimeSpan.FromSeconds(1);
        Reference = $"{type}:{name}";
        Load();
    }

    public string Reference { get; }
    public bool IsFixed => true;

    /// <summary>Number of entries currently loaded.</summary>
    public int Count => _entries.Count;

    public ValueTask<string?> LookupAsync(string key, CancellationToken cancellationToken = default)
    {
        MaybeReload();
        if (_options.FoldCase)
            key = key.ToLowerInvariant();
        return ValueTask.FromResult(_entries.TryGetValue(key, out var value) ? value : null);
    }

    private bool ReadsIndexedFile => _type != "texthash";

    private (string Path, bool Indexed) Choose()
    {
        if (ReadsIndexedFile)
        {
            var indexed = IndexedTableFile.IndexedPath(_type, _name);
            if (File.Exists(indexed))
            {
                if (IndexedTableFile.IsOurFormat(indexed))
                    return (indexed, true);
                _options.Warning($"{Reference}: {indexed} is not in our indexed format; reading {_name} instead");
            }
        }
        return (_name, false);
    }

    private void Load()
    {
        var (path, indexed) = Choose();
        try
        {
            var stamp = File.GetLastWriteTimeUtc(path);
            var entries = indexed ? IndexedTableFile.Read(path) : TableSourceParser.ParseFile(path, _options);
            var map = new Dictionary<string, string>(entries.Count, StringComparer.Ordinal);
            foreach (var e in entries)
                map.TryAdd(e.Key, e.Value);
            _entries = map;
            _loadedFrom = path;
            _loadedStamp = stamp;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new TableLookupException(Reference, $"open database {path}: {e.Message}", e);
        }
    }

    private void MaybeReload()
    {
        var now = Environment.TickCount64;
        if (now < Volatile.Read(ref _nextCheckTicks))
            return;
        lock (_gate)
        {
            if (now < _nextCheckTicks)
                return;
            _nextCheckTicks = now + (long)_checkInterval.TotalMilliseconds;
            var (path, _) = Choose();
            DateTime stamp;
            try { stamp = File.GetLastWriteTimeUtc(path); }
            catch (IOException) { return; }
            if (path != _loadedFrom || stamp != _loadedStamp)
                Load();
        }
    }
}

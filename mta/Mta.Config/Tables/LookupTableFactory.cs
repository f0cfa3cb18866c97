using System.Collections.Concurrent;

namespace Mta.Config.Tables;

/// <summary>
/// Opens "type:name" table references (dict_open(3)) through a registry of table types, so a later type
/// (e.g. redis:) plugs in with <see cref="Register"/>. Opened tables are shared per reference and options,
/// as Postfix shares one dict per name within a process. "proxy:type:name" opens type:name directly: every
/// table here is already opened inside the process that uses it.
/// </summary>
public sealed class LookupTableFactory
{
    /// <summary>Opens one table of a registered type; throws <see cref="TableLookupException"/> on bad input.</summary>
    public delegate ILookupTable Opener(string type, string name, TableOpenOptions options);

    private static readonly string[] IndexedTypes = ["hash", "btree", "lmdb", "cdb", "dbm", "sdbm"];

    private readonly ConcurrentDictionary<string, Opener> _openers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Reference, bool Alias, bool Fold), ILookupTable> _open = new();

    public LookupTableFactory()
    {
        foreach (var type in IndexedTypes)
            Register(type, (t, n, o) => new FileTable(t, n, o));
        Register("texthash", (t, n, o) => new FileTable(t, n, o));
        Register("inline", (_, n, o) => InMemoryTable.ParseInline(n, o));
        Register("static", (_, n, _) => new StaticTable(n));
        Register("fail", (_, n, _) => new FailTable(n));
        Register("cidr", (_, n, o) => new CidrTable(n, o));
        Register("regexp", (t, n, o) => new RegexpTable(t, n, o));
        Register("pcre", (t, n, o) => new RegexpTable(t, n, o));
        Register("unix", (_, n, _) => new UnixTable(n));
    }

    /// <summary>A process-wide factory with the built-in types.</summary>
    public static LookupTableFactory Shared { get; } = new();

    /// <summary>Adds or replaces a table type.</summary>
    public void Register(string type, Opener opener) => _openers[type] = opener;

    public bool IsRegistered(string type) => _openers.ContainsKey(type);

    /// <summary>The registered type names, for "postconf -m".</summary>
    public IReadOnlyCollection<string> Types => _openers.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Opens (or returns the already opened) table for a "type:name" reference.</summary>
    public ILookupTable Open(string reference, TableOpenOptions? options = null)
    {
        options ??= TableOpenOptions.Default;
        return _open.GetOrAdd((reference, options.AliasSyntax, options.FoldCase), _ => OpenNew(reference, options));
    }

    /// <summary>Forgets opened tables (postfix reload: tables are reopened with the new configuration).</summary>
    public void Clear() => _open.Clear();

    /// <summary>True when text looks like "type:name" (a table reference, not a /file or a plain word).</summary>
    public static bool TryParseReference(string reference, out string type, out string name)
    {
        type = name = "";
        var colon = reference.IndexOf(':');
        if (colon <= 0)
            return false;
        for (var i = 0; i < colon; i++)
        {
            var c = reference[i];
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
                return false;
        }
        type = reference[..colon];
        name = reference[(colon + 1)..];
        return true;
    }

    private ILookupTable OpenNew(string reference, TableOpenOptions options)
    {
        if (!TryParseReference(reference, out var type, out var name))
            throw new TableLookupException(reference, $"need dictionary type:name, got \"{reference}\"");
        if (type.Equals("proxy", StringComparison.OrdinalIgnoreCase))
            return Open(name, options);
        if (!_openers.TryGetValue(type, out var opener))
            throw new TableLookupException(reference, $"unsupported dictionary type: {type}");
        return opener(type, name, options);
    }
}

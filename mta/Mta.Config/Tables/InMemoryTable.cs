namespace Mta.Config.Tables;

/// <summary>A fixed-string table held in a dictionary: inline:{...}, and a building block for tests and loaders.</summary>
public sealed class InMemoryTable : ILookupTable
{
    private readonly Dictionary<string, string> _entries = new(StringComparer.Ordinal);
    private readonly bool _foldCase;

    public InMemoryTable(string reference, IEnumerable<KeyValuePair<string, string>> entries, bool foldCase = true)
    {
        Reference = reference;
        _foldCase = foldCase;
        foreach (var (key, value) in entries)
            _entries.TryAdd(foldCase ? key.ToLowerInvariant() : key, value);
    }

    public string Reference { get; }
    public bool IsFixed => true;
    public int Count => _entries.Count;

    public ValueTask<string?> LookupAsync(string key, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_entries.TryGetValue(_foldCase ? key.ToLowerInvariant() : key, out var v) ? v : null);

    /// <summary>Parses inline:{ k1=v1, { k2 = v 2 } } (dict_inline.c).</summary>
    public static InMemoryTable ParseInline(string name, TableOpenOptions options)
    {
        var reference = "inline:" + name;
        if (!BraceSyntax.TryStripBraces(name, out var inner, out var error))
            throw new TableLookupException(reference, $"bad syntax: \"{name}\"; need \"inline:{{name=value...}}\" ({error})");
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var token in BraceSyntax.SplitTopLevel(inner))
        {
            var item = token;
            if (item.StartsWith('{') && !BraceSyntax.TryStripBraces(item, out item, out error))
                throw new TableLookupException(reference, $"{error} in \"{token}\"");
            var eq = item.IndexOf('=');
            if (eq <= 0)
                throw new TableLookupException(reference, $"missing '=' after attribute name in \"{token}\"");
            var key = item[..eq].Trim();
            var value = item[(eq + 1)..].Trim();
            if (key.Length == 0)
                throw new TableLookupException(reference, $"missing attribute name in \"{token}\"");
            pairs.Add(new(key, value));
        }
        if (pairs.Count == 0)
            throw new TableLookupException(reference, "empty table");
        return new InMemoryTable(reference, pairs, options.FoldCase);
    }
}

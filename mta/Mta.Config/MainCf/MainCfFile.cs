namespace Mta.Config.MainCf;

/// <summary>
/// A parsed main.cf (postconf(5) syntax, Postfix's dict_load_fp()). Duplicates: the last value wins;
/// <see cref="Entries"/> keeps one entry per name at the position of its first appearance, carrying the
/// last value and that value's line. Parse errors throw <see cref="ConfigException"/> with Postfix's text,
/// e.g. <c>/etc/postfix/main.cf, line 7: missing '=' after attribute name: "foo"</c>.
/// </summary>
public sealed class MainCfFile
{
    private readonly Dictionary<string, MainCfEntry> _byName;

    private MainCfFile(string path, List<MainCfEntry> entries, List<string> warnings)
    {
        Path = path;
        Entries = entries;
        Warnings = warnings;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The file name used in messages (e.g. /etc/postfix/main.cf).</summary>
    public string Path { get; }

    /// <summary>Effective settings in order of first appearance.</summary>
    public IReadOnlyList<MainCfEntry> Entries { get; }

    /// <summary>Warnings Postfix prints while reading (overriding earlier entry, leading white space).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public static MainCfFile Empty(string path) => new(path, [], []);

    public static MainCfFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"open {path}: {DescribeIoError(e)}");
        }
        return Parse(text, path);
    }

    public static MainCfFile Parse(string text, string path)
    {
        var warnings = new List<string>();
        var entries = new List<MainCfEntry>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in LogicalLineReader.Read(text, path, warnings))
        {
            var error = NameValueSplitter.TrySplit(line.Text, out var name, out var value);
            if (error is not null)
                throw new ConfigException($"{path}, line {line.FirstLine}: {error}: \"{line.Text}\"", warnings);
            if (index.TryGetValue(name, out var at))
            {
                var old = entries[at].Value;
                if (old != value)
                    warnings.Add($"{path}, line {line.FirstLine}: overriding earlier entry: {name}={old}");
                entries[at] = new MainCfEntry(name, value, line.FirstLine);
            }
            else
            {
                index[name] = entries.Count;
                entries.Add(new MainCfEntry(name, value, line.FirstLine));
            }
        }
        return new MainCfFile(path, entries, warnings);
    }

    public bool Contains(string name) => _byName.ContainsKey(name);

    public bool TryGet(string name, out MainCfEntry entry) => _byName.TryGetValue(name, out entry!);

    /// <summary>The raw (unexpanded) value, or null when main.cf does not set the name.</summary>
    public string? GetValue(string name) => _byName.TryGetValue(name, out var e) ? e.Value : null;

    internal static string DescribeIoError(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        _ => e.Message,
    };
}

using Mta.Commands.Queue;
using Mta.Config.Tables;
using Mta.Queue;
using Mta.Queue.Redis;

namespace Mta.Commands.Tables;

/// <summary>
/// Builds one indexed table from its source file (or, with -i, adds standard input to it), as postmap(1) and
/// postalias(1) do: keys folded to lower case unless -f, duplicates warned about (first wins), replaced (-r) or
/// ignored (-w), postalias's "@" entry added last. The file is our indexed format (<see cref="IndexedTableFile"/>),
/// written atomically, so a running daemon sees the old table or the new one. A redis: table is loaded into Redis
/// in one step instead (<see cref="RedisTables.LoadAsync"/>), where every pod sees it at once.
/// </summary>
internal static class TableBuilder
{
    public static void Build(TableReference table, TableFlavour flavour, PostmapOptions options, TextReader? incrementalInput, Action<string> warn,
        string? redisUrl = null)
    {
        table.EnsureBuildable();
        var indexed = table.IndexedPath;
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (table.IsRedis && incrementalInput is not null)
            throw new FatalError($"{table}: incremental updates (-i) are not supported; rebuild the table from its source");
        if (incrementalInput is not null)
        {
            if (File.Exists(indexed))
                foreach (var existing in ReadExisting(indexed))
                    entries[existing.Key] = existing.Value;
            Add(TableSource.Read(incrementalInput, "stdin", flavour.AliasSyntax, warn), PostmapOptions.DuplicatePolicy.Replace);
        }
        else
        {
            try
            {
                using var reader = new StreamReader(table.Name);
                Add(TableSource.Read(reader, table.Name, flavour.AliasSyntax, warn), options.Duplicates);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FatalError($"open {table.Name}: {IoErrorText.Describe(e)}");
            }
        }
        if (flavour.AliasSyntax)
            entries["@"] = "@"; // Sendmail's "the alias database is complete" mark, as postalias writes it

        if (table.IsRedis)
        {
            LoadIntoRedis(table, redisUrl, entries);
            return;
        }
        try
        {
            IndexedTableFile.Write(indexed, entries.Select(e => new TableEntry(e.Key, e.Value)), options.FoldCase);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FatalError($"open database {indexed}: {IoErrorText.Describe(e)}");
        }

        void Add(IEnumerable<SourceLine> lines, PostmapOptions.DuplicatePolicy policy)
        {
            foreach (var line in lines)
            {
                var key = options.FoldCase ? line.Key.ToLowerInvariant() : line.Key;
                if (entries.ContainsKey(key))
                {
                    if (policy == PostmapOptions.DuplicatePolicy.Warn)
                        warn($"{(table.IsRedis ? table.ToString() : indexed)}: duplicate entry: \"{key}\"");
                    if (policy != PostmapOptions.DuplicatePolicy.Replace)
                        continue;
                }
                entries[key] = line.Value;
            }
        }
    }

    private static void LoadIntoRedis(TableReference table, string? redisUrl, Dictionary<string, string> entries)
    {
        if (string.IsNullOrEmpty(redisUrl))
            throw new FatalError($"open database {table}: redis: tables need redis_url in main.cf");
        try
        {
            RedisTables.LoadAsync(redisUrl, table.Name, entries.Select(e => (e.Key, e.Value))).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is QueueUnavailableException or ArgumentException or FormatException)
        {
            throw new FatalError($"open database {table}: {e.Message}");
        }
    }

    /// <summary>The entries of an indexed file we built; fatal for a file in another format (e.g. a real Berkeley DB).</summary>
    public static IReadOnlyList<TableEntry> ReadExisting(string indexedPath)
    {
        try
        {
            return IndexedTableFile.Read(indexedPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FatalError($"open database {indexedPath}: {IoErrorText.Describe(e)}");
        }
        catch (InvalidDataException e)
        {
            throw new FatalError(e.Message);
        }
    }
}

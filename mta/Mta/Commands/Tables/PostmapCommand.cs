using Mta.Commands.Queue;
using Mta.Config;
using Mta.Config.MainCf;
using Mta.Config.MasterCf;
using Mta.Config.Tables;
using Mta.Master;
using Mta.Queue.Redis;

namespace Mta.Commands.Tables;

/// <summary>
/// postmap(1) and postalias(1): build indexed tables from their sources ("[type:]file...", type defaulting to
/// default_database_type), or -q KEY (or "-q -": keys on standard input) look keys up through the same table
/// code the daemons use (exit 0 when found, 1 when not), -s list a table, -d KEY delete a key.
/// </summary>
internal static class PostmapCommand
{
    public static int RunPostmap(IReadOnlyList<string> args, TextWriter output, TextWriter err) =>
        Run(TableFlavour.Postmap, args, Console.In, output, err);

    public static int RunPostalias(IReadOnlyList<string> args, TextWriter output, TextWriter err) =>
        Run(TableFlavour.Postalias, args, Console.In, output, err);

    public static int Run(TableFlavour flavour, IReadOnlyList<string> args, TextReader input, TextWriter output, TextWriter err)
    {
        try
        {
            var options = PostmapOptions.Parse(args, flavour);
            var configDirectory = ConfigDirectory.Resolve(options.ConfigDirectory);
            var parameters = LoadMainCf(configDirectory);
            var defaultType = parameters.Get(ParameterCatalogue.DefaultDatabaseType);
            var tables = options.Tables.Select(t => TableReference.Parse(t, defaultType)).ToList();
            void Warn(string text) => err.WriteLine($"{flavour.Program}: warning: {text}");
            var redisUrl = tables.Any(t => t.IsRedis) ? RedisUrl(configDirectory, parameters) : null;
            using var redisTables = redisUrl is null ? null : new RedisRegistration(redisUrl);

            if (options.Query is { } key)
                return key == "-" ? QueryStream(flavour, tables, options, input, output, Warn) : QueryOne(flavour, tables, options, key, output, Warn);
            if (options.Sequence)
                return tables.Count == 0 ? 1 : Sequence(flavour, tables[0], options, output, Warn);
            if (options.DeleteKey is { } deleteKey)
                return Delete(tables, options, deleteKey == "-" ? ReadLines(input) : [deleteKey]) ? 0 : 1;
            foreach (var table in tables)
                TableBuilder.Build(table, flavour, options, options.Incremental ? input : null, Warn, redisUrl);
            return 0;
        }
        catch (FatalError e)
        {
            output.Flush();
            return e.Report(flavour.Program, err);
        }
    }

    /// <summary>main.cf only (postmap needs no master.cf); a missing main.cf is fatal, as mail_conf_read() makes it.</summary>
    internal static ParameterSet LoadMainCf(string configDirectory)
    {
        try
        {
            var mainCf = MainCfFile.Load(Path.Combine(configDirectory, "main.cf"));
            return new ParameterSet(ParameterCatalogue.All, mainCf, [new("config_directory", configDirectory)]);
        }
        catch (ConfigException e)
        {
            throw new FatalError(e.Message);
        }
    }

    /// <summary>redis_url as the roles read it (with MTA_REDIS_PASSWORD added in a pod); fatal when main.cf has none.</summary>
    private static string RedisUrl(string configDirectory, ParameterSet parameters)
    {
        var instance = new InstanceConfig(configDirectory, parameters, MasterCfFile.Parse("", Path.Combine(configDirectory, "master.cf")));
        var url = instance.QueueStore(recover: false).RedisUrl;
        return url.Length > 0 ? url : throw new FatalError("redis: tables need redis_url in main.cf");
    }

    /// <summary>Makes redis: tables openable through the shared factory for this command, and closes their connection after.</summary>
    private sealed class RedisRegistration(string redisUrl) : IDisposable
    {
        private readonly IAsyncDisposable _connection = RedisTables.Register(LookupTableFactory.Shared, redisUrl);

        public void Dispose() => _connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static ILookupTable Open(TableFlavour flavour, TableReference table, PostmapOptions options, Action<string> warn)
    {
        table.EnsureOpenable();
        try
        {
            return LookupTableFactory.Shared.Open(table.ToString(),
                new TableOpenOptions(AliasSyntax: flavour.AliasSyntax, FoldCase: options.FoldCase, Warn: warn, ReloadCheckInterval: TimeSpan.MaxValue));
        }
        catch (TableLookupException e)
        {
            throw new FatalError(e.Message);
        }
    }

    private static string? Lookup(ILookupTable table, string key)
    {
        try
        {
            return table.LookupAsync(key).AsTask().GetAwaiter().GetResult();
        }
        catch (TableLookupException e)
        {
            throw new FatalError(e.Message);
        }
    }

    // -q KEY: the tables in order, the first that has the key prints its value.
    private static int QueryOne(TableFlavour flavour, List<TableReference> tables, PostmapOptions options, string key, TextWriter output, Action<string> warn)
    {
        foreach (var table in tables)
        {
            if (Lookup(Open(flavour, table, options, warn), key) is { } value)
            {
                output.WriteLine(value);
                return 0;
            }
        }
        return 1;
    }

    // -q -: each key read from standard input, printed with its value from the first table that has it.
    private static int QueryStream(TableFlavour flavour, List<TableReference> tables, PostmapOptions options, TextReader input, TextWriter output,
        Action<string> warn)
    {
        var found = false;
        foreach (var key in ReadLines(input))
        {
            foreach (var table in tables)
            {
                if (Lookup(Open(flavour, table, options, warn), key) is not { } value)
                    continue;
                output.WriteLine($"{key}{flavour.SequenceSeparator}{value}");
                found = true;
                break;
            }
        }
        return found ? 0 : 1;
    }

    // -s: every entry of the first table (indexed: the built file; texthash: its source).
    private static int Sequence(TableFlavour flavour, TableReference table, PostmapOptions options, TextWriter output, Action<string> warn)
    {
        IEnumerable<(string Key, string Value)> entries;
        if (table.IsIndexed)
        {
            table.EnsureOpenable();
            entries = TableBuilder.ReadExisting(table.IndexedPath).Select(e => (e.Key, e.Value));
        }
        else if (table.Type == "texthash")
        {
            try
            {
                using var reader = new StreamReader(table.Name);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var list = new List<(string, string)>();
                foreach (var line in TableSource.Read(reader, table.Name, flavour.AliasSyntax, warn))
                {
                    var key = options.FoldCase ? line.Key.ToLowerInvariant() : line.Key;
                    if (seen.Add(key))
                        list.Add((key, line.Value));
                    else
                        warn($"{table.Name}, line {line.LineNumber}: duplicate entry: \"{line.Key}\"");
                }
                entries = list;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FatalError($"open {table.Name}: {IoErrorText.Describe(e)}");
            }
        }
        else
            throw new FatalError($"table {table}: sequence operation is not supported");
        foreach (var (key, value) in entries)
            output.WriteLine($"{key}{flavour.SequenceSeparator}{value}");
        return 0;
    }

    // -d KEY: removes the key from every named indexed table; success when any had it.
    private static bool Delete(List<TableReference> tables, PostmapOptions options, IReadOnlyList<string> keys)
    {
        var found = false;
        foreach (var table in tables)
        {
            if (table.IsRedis)
                throw new FatalError($"table {table}: delete is not supported; rebuild the table from its source");
            table.EnsureBuildable();
            table.EnsureOpenable();
            var entries = TableBuilder.ReadExisting(table.IndexedPath).ToList();
            var remove = keys.Select(k => options.FoldCase ? k.ToLowerInvariant() : k).ToHashSet(StringComparer.Ordinal);
            var kept = entries.Where(e => !remove.Contains(e.Key)).ToList();
            if (kept.Count == entries.Count)
                continue;
            found = true;
            IndexedTableFile.Write(table.IndexedPath, kept, options.FoldCase);
        }
        return found;
    }

    private static List<string> ReadLines(TextReader input)
    {
        var lines = new List<string>();
        while (input.ReadLine() is { } line)
            lines.Add(line);
        return lines;
    }
}

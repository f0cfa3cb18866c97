using Mta.Config.Lists;
using Mta.Config.MainCf;

namespace Mta.Config.MasterCf;

/// <summary>
/// A parsed master.cf: the 8 columns (service, type, private, unpriv, chroot, wakeup, maxproc, command +
/// args), the same comment and continuation rules as main.cf, { } protected arguments and -o overrides.
/// Errors throw <see cref="ConfigException"/> with master(8)'s or postconf(1)'s text (see
/// <see cref="MasterCfErrorStyle"/>).
/// </summary>
public sealed class MasterCfFile
{
    private const string Blanks = " \t\r\n";

    private MasterCfFile(string path, IReadOnlyList<MasterService> entries, IReadOnlyList<string> warnings)
    {
        Path = path;
        Entries = entries;
        Warnings = warnings;
        var services = new List<MasterService>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (index.TryGetValue(entry.Key, out var at))
                services[at] = entry;
            else
            {
                index[entry.Key] = services.Count;
                services.Add(entry);
            }
        }
        Services = services;
    }

    public string Path { get; }

    /// <summary>Every entry in file order, duplicates included (postconf -M prints what the file says).</summary>
    public IReadOnlyList<MasterService> Entries { get; }

    /// <summary>One entry per name/type: the last one wins, at the position of the first.</summary>
    public IReadOnlyList<MasterService> Services { get; }

    /// <summary>Warnings Postfix prints while reading.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public MasterService? Find(string name, string type) =>
        Services.FirstOrDefault(s => s.Name == name && s.TypeField == type);

    public static MasterCfFile Load(string path, MasterCfErrorStyle style = MasterCfErrorStyle.Master, KnownTcpPorts? knownPorts = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"open {path}: {MainCfFile.DescribeIoError(e)}");
        }
        return Parse(text, path, style, knownPorts);
    }

    public static MasterCfFile Parse(string text, string path, MasterCfErrorStyle style = MasterCfErrorStyle.Master,
        KnownTcpPorts? knownPorts = null)
    {
        var warnings = new List<string>();
        var entries = new List<MasterService>();
        foreach (var line in LogicalLineReader.Read(text, path, warnings))
        {
            var fields = ConfigList.Split(line.Text, Blanks);
            if (fields.Count == 0)
                continue;
            if (style == MasterCfErrorStyle.Master)
                CheckLikeMaster(fields, path, line.FirstLine, knownPorts ?? KnownTcpPorts.Default);
            else
                CheckLikePostconf(fields, line, path);
            entries.Add(Build(fields, line, path, style, knownPorts ?? KnownTcpPorts.Default, warnings));
        }
        return new MasterCfFile(path, entries, warnings);
    }

    private static MasterService Build(IReadOnlyList<string> fields, LogicalLine line, string path, MasterCfErrorStyle style,
        KnownTcpPorts knownPorts, List<string> warnings)
    {
        var rawArguments = fields.Skip(8).ToList();
        var arguments = new List<string>();
        foreach (var arg in rawArguments)
        {
            if (!arg.StartsWith('{'))
            {
                arguments.Add(arg);
                continue;
            }
            var error = BraceText.Extract(arg, out var payload);
            if (error is not null && style == MasterCfErrorStyle.Master)
                throw new ConfigException($"{path}: line {line.FirstLine}: {error}");
            arguments.Add(payload);
        }
        var type = ParseType(fields[1]) ?? ServiceType.Unix;
        InetEndpoint? endpoint = null;
        if (type == ServiceType.Inet && InetEndpoint.TryParse(fields[0], knownPorts, out var parsed) is null)
            endpoint = parsed;
        return new MasterService
        {
            Name = fields[0],
            TypeField = fields[1],
            Type = type,
            PrivateField = fields[2],
            UnprivilegedField = fields[3],
            ChrootField = fields[4],
            WakeupField = fields[5],
            MaxProcField = fields[6],
            Command = fields[7],
            Arguments = arguments,
            PostconfArguments = PostconfArgumentNormalizer.Normalize(rawArguments, style == MasterCfErrorStyle.Postconf ? warnings : null),
            Overrides = DaemonOptions.Overrides(arguments, strict: style == MasterCfErrorStyle.Master),
            Endpoint = endpoint,
            RawText = line.Text,
            Line = line.FirstLine,
            LastLine = line.LastLine,
        };
    }

    public static ServiceType? ParseType(string text) => text switch
    {
        "inet" => ServiceType.Inet,
        "unix" => ServiceType.Unix,
        "unix-dgram" => ServiceType.UnixDgram,
        "fifo" => ServiceType.Fifo,
        "pass" => ServiceType.Pass,
        _ => null,
    };

    // master_ent.c's checks, in its order, with its "FILE: line N: ..." texts.
    private static void CheckLikeMaster(IReadOnlyList<string> fields, string path, int line, KnownTcpPorts knownPorts)
    {
        ConfigException Fail(string message) => new($"{path}: line {line}: {message}");
        string Field(int index, string name, bool hasDefault)
        {
            if (index >= fields.Count)
                throw Fail($"missing \"{name}\" field");
            if (fields[index] == "-" && !hasDefault)
                throw Fail($"field \"{name}\" has no default value");
            return fields[index];
        }
        void Bool(int index, string name)
        {
            var value = Field(index, name, hasDefault: true);
            if (value is not ("-" or "y" or "n"))
                throw Fail($"field \"{name}\": bad value: \"{value}\"");
        }
        void Number(int index, string name)
        {
            var value = Field(index, name, hasDefault: true);
            if (value != "-" && !char.IsAsciiDigit(value[0]))
                throw Fail($"field \"{name}\": bad value: \"{value}\"");
        }

        var typeText = Field(1, "transport type", hasDefault: false);
        var type = ParseType(typeText) ?? throw Fail($"bad transport type: {typeText}");
        if (type == ServiceType.Inet && InetEndpoint.TryParse(fields[0], knownPorts, out _) is { } inetError)
            throw Fail($"{inetError} in \"{fields[0]}\"");
        Bool(2, "private");
        if (type == ServiceType.Inet && fields[2] != "n")
            throw Fail("inet service cannot be private");
        Bool(3, "unprivileged");
        Bool(4, "chroot");
        Number(5, "wakeup_time");
        Number(6, "max_proc");
        Field(7, "command", hasDefault: false);
    }

    // postconf_master.c's pcf_check_master_entry() texts.
    private static void CheckLikePostconf(IReadOnlyList<string> fields, LogicalLine line, string path)
    {
        if (fields.Count < 8)
            throw new ConfigException($"file {path}: line {line.FirstLine}: bad field count");
        ConfigException Invalid(string field, string value) => new($"invalid {field} field \"{value}\" in \"{line.Text}\"");
        if (ParseType(fields[1]) is null)
            throw Invalid("type", fields[1]);
        string[] boolNames = ["private", "unprivileged", "chroot"];
        for (int i = 0; i < 3; i++)
            if (fields[2 + i] is not ("y" or "n" or "-"))
                throw Invalid(boolNames[i], fields[2 + i]);
        var wakeup = fields[5];
        var digits = wakeup.EndsWith('?') ? wakeup[..^1] : wakeup;
        if (digits != "-" && !digits.All(char.IsAsciiDigit))
            throw Invalid("wakeup", wakeup);
        if (fields[6] != "-" && !fields[6].All(char.IsAsciiDigit))
            throw Invalid("process_limit", fields[6]);
    }
}

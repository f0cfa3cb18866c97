using Mta.Config.MainCf;
using Mta.Config.MasterCf;

namespace Mta.Config;

/// <summary>
/// What `postfix check` verifies before anything starts: main.cf and master.cf parse; every catalogue
/// parameter, in main.cf and in each service's -o overrides, expands and converts to its type (Postfix's
/// fatal texts, prefixed with the file and line that set it); the smtpd relay guard; and the cross-parameter
/// rules Postfix's daemons enforce at start-up. Unlike a daemon it reports every problem, not just the first.
/// One check serves `postfix check`, the master before it starts, and the operator before it rolls anything out.
/// </summary>
/// <param name="configDirectory">Where main.cf and master.cf are (their paths prefix the messages).</param>
/// <param name="masterPath">How master.cf is named in messages, when not DIR/master.cf (the operator names each tier's).</param>
public sealed class ConfigurationCheck(string configDirectory, string? masterPath = null)
{
    public List<string> Fatals { get; } = [];
    public List<string> Warnings { get; } = [];

    /// <summary>The configuration as read, once the files parsed (null when they did not); valid only without <see cref="Fatals"/>.</summary>
    public ConfigurationDirectory? Loaded { get; private set; }

    private string MainPath => Path.Combine(configDirectory, "main.cf");
    private string MasterPath => masterPath ?? Path.Combine(configDirectory, "master.cf");

    /// <summary>Reads DIR/main.cf and DIR/master.cf and checks them.</summary>
    public void Run()
    {
        if (File.Exists(MainPath) && !File.Exists(MasterPath))
        {
            Fatals.Add($"no {MasterPath} file found");
            return;
        }
        ConfigurationDirectory directory;
        try
        {
            directory = ConfigurationDirectory.Load(configDirectory, ParameterCatalogue.All);
        }
        catch (ConfigException e)
        {
            Report(e);
            return;
        }
        Run(directory);
    }

    /// <summary>Checks files already parsed (e.g. rendered in memory).</summary>
    public void Run(ConfigurationDirectory directory)
    {
        Loaded = directory;
        var (main, master) = (directory.MainCf, directory.MasterCf);
        Warnings.AddRange(main.Warnings);
        Warnings.AddRange(master.Warnings);
        var serviceParameters = master.Services.SelectMany(s => ParameterCatalogue.ServiceParameters(s.Name, s.Command)).ToList();
        var catalogue = ParameterCatalogue.All.Concat(serviceParameters).ToList();
        var global = directory.Parameters.WithDefaults(serviceParameters);
        CheckValues(global, name => main.TryGet(name, out var entry) ? $"{MainPath}, line {entry.Line}: " : null, alwaysTyped: true);
        foreach (var service in master.Services.Where(s => s.Overrides.Count > 0))
        {
            var overridden = service.Overrides.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
            CheckValues(service.Apply(global), name => overridden.Contains(name)
                ? $"{MasterPath}, line {service.Line}: service {service.Key}: " : null, alwaysTyped: false);
        }
        foreach (var service in master.Services.Where(s => s.Command == "smtpd"))
            CheckRelayGuard(service.Apply(global), service);
        CheckCrossParameterRules(global, master);
        WarnUnused(main, catalogue, global);
    }

    // Each parameter through ParameterSet. setAt gives "file, line N: " where the value is set explicitly, or
    // null. Numbers, times and booleans are checked even at their defaults (a default may reference a bad
    // setting); texts and lists only where set, as a daemon expands only what it reads.
    private void CheckValues(ParameterSet set, Func<string, string?> setAt, bool alwaysTyped)
    {
        foreach (var p in set.Defaults.Values.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (ParameterCatalogue.IsRaw(p.Name) || ParameterCatalogue.IsHostDerived(p.Name))
                continue;
            var where = setAt(p.Name);
            if (where is null && (!alwaysTyped || p is StringParameter or ListParameter))
                continue;
            where ??= "";
            try
            {
                _ = p switch
                {
                    BoolParameter b => set.Get(b),
                    IntParameter i => set.Get(i),
                    LongParameter l => set.Get(l),
                    TimeParameter t => set.Get(t),
                    ListParameter list => set.Get(list),
                    StringParameter s => (object)set.Get(s),
                    _ => null,
                };
            }
            catch (ConfigException e)
            {
                Report(e, where);
            }
        }
    }

    // smtpd_check_init(): an smtpd that would relay for anyone refuses to start.
    private void CheckRelayGuard(ParameterSet set, MasterService service)
    {
        try
        {
            var classes = new HashSet<string>(set.Get(ParameterCatalogue.SmtpdRestrictionClasses), StringComparer.OrdinalIgnoreCase);
            var fatal = RelayGuard.Check(set.Expand("smtpd_relay_restrictions"), set.Expand("smtpd_recipient_restrictions"),
                name => classes.Contains(name) ? set.Expand(name) : null, Warnings);
            if (fatal is null)
                return;
            var where = service.Overrides.Count > 0 ? $"{MasterPath}, line {service.Line}: service {service.Key}: " : "";
            Add(where + fatal);
        }
        catch (ConfigException e)
        {
            Report(e);
        }
    }

    private void CheckCrossParameterRules(ParameterSet set, MasterCfFile master)
    {
        try
        {
            foreach (var service in master.Services.Where(s => s.Command is "local" or "virtual"))
                CheckMailboxLimit(service.Apply(set), service.Command == "local"
                    ? ParameterCatalogue.MailboxSizeLimit : ParameterCatalogue.VirtualMailboxLimit);
            if (set.Get(ParameterCatalogue.MaillogFile).Length > 0 && master.Find("postlog", "unix-dgram") is null)
                Add("missing 'postlog' service in master.cf - run 'postfix upgrade-configuration'");
            _ = set.CompatibilityLevel;
            var style = set.Get(ParameterCatalogue.MyNetworksStyle);
            if (style.Trim().ToLowerInvariant() is not ("host" or "subnet" or "class"))
                Add($"bad mynetworks_style value: {style}; specify exactly one value");
            var backend = set.Get(ParameterCatalogue.QueueBackend);
            if (backend is not ("file" or "redis"))
                Add($"bad queue_backend value: {backend}; specify file or redis");
            else if (backend == "redis" && set.Get(ParameterCatalogue.RedisUrl).Length == 0)
                Add("queue_backend = redis requires a redis_url");
        }
        catch (ConfigException e)
        {
            Report(e);
        }
    }

    // local(8) and virtual(8) refuse to start when a mailbox could not hold the largest message.
    private void CheckMailboxLimit(ParameterSet set, LongParameter mailboxLimit)
    {
        var limit = set.Get(mailboxLimit);
        var message = set.Get(ParameterCatalogue.MessageSizeLimit);
        if (limit == 0)
            return;
        if (message == 0)
            Add($"configuration error: {mailboxLimit.Name} is limited but message_size_limit is unlimited");
        else if (limit < message)
            Add($"configuration error: {mailboxLimit.Name} is smaller than message_size_limit");
    }

    // postconf's warning for names nothing knows or references (restriction classes count as referenced).
    private void WarnUnused(MainCfFile main, List<Parameter> catalogue, ParameterSet set)
    {
        var known = catalogue.Select(p => p.Name).Concat(ParameterCatalogue.LegacyNames).ToHashSet(StringComparer.Ordinal);
        known.UnionWith(set.Get(ParameterCatalogue.SmtpdRestrictionClasses));
        var referenced = main.Entries.SelectMany(e => Mta.Config.Expansion.MacroExpander.ReferencedNames(e.Value))
            .Concat(catalogue.SelectMany(p => Mta.Config.Expansion.MacroExpander.ReferencedNames(p.DefaultText)))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var entry in main.Entries.Where(e => !known.Contains(e.Name) && !referenced.Contains(e.Name))
                     .OrderBy(e => e.Name, StringComparer.Ordinal))
            Warnings.Add($"{MainPath}, line {entry.Line}: unused parameter: {entry.Name}={entry.Value}");
    }

    private void Report(ConfigException e, string where = "")
    {
        foreach (var warning in e.Warnings)
            if (!Warnings.Contains(warning))
                Warnings.Add(warning);
        Add(where + e.Message);
    }

    // One line per problem: a message already reported with its file and line is not repeated without.
    private void Add(string fatal)
    {
        if (!Fatals.Any(f => f == fatal || f.EndsWith(": " + fatal, StringComparison.Ordinal)))
            Fatals.Add(fatal);
    }
}

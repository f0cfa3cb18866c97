using Mta.Config;
using Mta.Config.MainCf;
using Mta.Config.MasterCf;

namespace Mta.Commands.Postfix;

/// <summary>
/// What `postfix check` verifies before anything starts: main.cf and master.cf parse; every catalogue
/// parameter, in main.cf and in each service's -o overrides, expands and converts to its type (Postfix's
/// fatal texts, prefixed with the file and line that set it); the smtpd relay guard; and the cross-parameter
/// rules Postfix's daemons enforce at start-up. Unlike a daemon it reports every problem, not just the first.
/// </summary>
internal sealed class ConfigurationCheck(string configDirectory)
{
    private static readonly string[] RelayGuard =
        ["reject_unauth_destination", "defer_unauth_destination", "reject", "defer", "defer_if_permit", "check_relay_domains"];

    public List<string> Fatals { get; } = [];
    public List<string> Warnings { get; } = [];

    private string MainPath => Path.Combine(configDirectory, "main.cf");
    private string MasterPath => Path.Combine(configDirectory, "master.cf");

    public void Run()
    {
        MainCfFile main;
        try
        {
            main = MainCfFile.Load(MainPath);
            Warnings.AddRange(main.Warnings);
        }
        catch (ConfigException e)
        {
            Report(e);
            return;
        }
        if (!File.Exists(MasterPath))
        {
            Fatals.Add($"no {MasterPath} file found");
            return;
        }
        MasterCfFile master;
        try
        {
            master = MasterCfFile.Load(MasterPath);
            Warnings.AddRange(master.Warnings);
        }
        catch (ConfigException e)
        {
            Report(e);
            return;
        }

        var catalogue = ParameterCatalogue.All.Concat(master.Services
            .SelectMany(s => ParameterCatalogue.ServiceParameters(s.Name, s.Command))).ToList();
        var global = new ParameterSet(catalogue, main, [new("config_directory", configDirectory)]);
        CheckValues(global, p => main.TryGet(p.Name, out var entry) ? $"{MainPath}, line {entry.Line}: " : "");
        foreach (var service in master.Services.Where(s => s.Overrides.Count > 0))
        {
            var overridden = service.Overrides.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
            CheckValues(service.Apply(global), p => overridden.Contains(p.Name)
                ? $"{MasterPath}, line {service.Line}: service {service.Key}: " : null);
        }
        foreach (var service in master.Services.Where(s => s.Command == "smtpd"))
            CheckRelayGuard(service.Apply(global), service);
        CheckCrossParameterRules(global, master);
        WarnUnused(main, catalogue);
    }

    // Each typed parameter through ParameterSet; prefix says where the value came from (null: skip).
    private void CheckValues(ParameterSet set, Func<Parameter, string?> prefix)
    {
        foreach (var p in set.Defaults.Values.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (ParameterCatalogue.IsRaw(p.Name) || ParameterCatalogue.IsHostDerived(p.Name))
                continue;
            var where = prefix(p);
            if (where is null)
                continue;
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
            if (HasRequired(set, set.Get(ParameterCatalogue.SmtpdRecipientRestrictions), classes, 0)
                || HasRequired(set, set.Get(ParameterCatalogue.SmtpdRelayRestrictions), classes, 0))
                return;
            var where = service.Overrides.Count > 0 ? $"{MasterPath}, line {service.Line}: service {service.Key}: " : "";
            Add($"{where}in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, specify at least one working " +
                "instance of: reject_unauth_destination, defer_unauth_destination, reject, defer, defer_if_permit or check_relay_domains");
        }
        catch (ConfigException e)
        {
            Report(e);
        }
    }

    private bool HasRequired(ParameterSet set, IReadOnlyList<string> restrictions, HashSet<string> classes, int depth)
    {
        for (var i = 0; i < restrictions.Count; i++)
        {
            var r = restrictions[i];
            if (r.Equals("warn_if_reject", StringComparison.OrdinalIgnoreCase) && i + 1 < restrictions.Count)
            {
                i++;
                continue;
            }
            if (r.Equals("permit", StringComparison.OrdinalIgnoreCase))
            {
                if (i + 1 < restrictions.Count)
                    Warnings.Add($"restriction `{restrictions[i + 1]}' after `{r}' is ignored");
                return false;
            }
            if (RelayGuard.Contains(r, StringComparer.OrdinalIgnoreCase))
                return true;
            if (depth < 10 && classes.Contains(r)
                && HasRequired(set, Mta.Config.Lists.ConfigList.Split(set.Expand(r)), classes, depth + 1))
                return true;
        }
        return false;
    }

    private void CheckCrossParameterRules(ParameterSet set, MasterCfFile master)
    {
        try
        {
            var mailbox = set.Get(ParameterCatalogue.MailboxSizeLimit);
            if (mailbox != 0 && mailbox < set.Get(ParameterCatalogue.MessageSizeLimit))
                Add("configuration error: mailbox_size_limit is smaller than message_size_limit");
            var virtualLimit = set.Get(ParameterCatalogue.VirtualMailboxLimit);
            if (virtualLimit != 0 && virtualLimit < set.Get(ParameterCatalogue.MessageSizeLimit))
                Add("virtual_mailbox_limit is smaller than message_size_limit");
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

    // postconf's warning for names nothing knows or references.
    private void WarnUnused(MainCfFile main, List<Parameter> catalogue)
    {
        var known = catalogue.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
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

    private void Add(string fatal)
    {
        if (!Fatals.Contains(fatal))
            Fatals.Add(fatal);
    }
}

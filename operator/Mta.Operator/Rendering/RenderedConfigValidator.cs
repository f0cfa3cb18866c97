using Mta.Config;
using Mta.Config.MainCf;
using Mta.Config.MasterCf;

namespace Mta.Operator.Rendering;

/// <summary>
/// Checks rendered main.cf and master.cf with Mta.Config, the engine the pods themselves read them with:
/// main.cf syntax, $-expansion, compatibility_level, and every set parameter's typed value (including master.cf
/// -o overrides) against the catalogue; master.cf as master(8) reads it. The first failure is returned in
/// Postfix's words with file and line ("main.cf, line N: ...", "smtpd/master.cf: line N: ..."), where a master.cf
/// is named after its tier. Unknown parameter names are warnings, as in Postfix. Last, each tier goes through
/// Mta.Config's <see cref="ConfigurationCheck"/>, the very check `mta postfix start-fg` runs in the pod, which also
/// catches a bad value reached only through $-expansion and the rules that span parameters.
/// </summary>
public static class RenderedConfigValidator
{
    public const string MainCfPath = "main.cf";
    public const string MasterCfPath = "master.cf";

    public static ConfigValidation Validate(string mainCf, IReadOnlyDictionary<Tier, string> masterCfs)
    {
        var warnings = new List<string>();
        MainCfFile main;
        try
        {
            main = MainCfFile.Parse(mainCf, MainCfPath);
        }
        catch (ConfigException e)
        {
            return new ConfigValidation(e.Message, warnings);
        }

        warnings.AddRange(main.Warnings);
        var services = new List<(string Path, MasterService Service)>();
        var files = new List<(string Path, MasterCfFile File)>();
        foreach (var (tier, text) in masterCfs)
        {
            var path = $"{tier.Name()}/{MasterCfPath}";
            try
            {
                var file = MasterCfFile.Parse(text, path, MasterCfErrorStyle.Master);
                warnings.AddRange(file.Warnings);
                services.AddRange(file.Services.Select(s => (path, s)));
                files.Add((path, file));
            }
            catch (ConfigException e)
            {
                return new ConfigValidation(e.Message, warnings);
            }
        }

        var defaults = ParameterCatalogue.All
            .Concat(services.SelectMany(s => ParameterCatalogue.ServiceParameters(s.Service.Name, s.Service.Command)));
        var set = new ParameterSet(defaults, main);

        foreach (var entry in main.Entries)
        {
            var error = CheckValue(set, entry.Name, warnings, $"{MainCfPath}, line {entry.Line}");
            if (error is not null)
                return new ConfigValidation(error, warnings);
        }

        foreach (var (path, service) in services)
        {
            var withOverrides = set.WithOverrides(service.Overrides);
            foreach (var (name, _) in service.Overrides)
            {
                var error = CheckValue(withOverrides, name, warnings, $"{path}: line {service.Line}");
                if (error is not null)
                    return new ConfigValidation(error, warnings);
            }
        }

        // Last, each tier as its pods will check it at start (`postfix check`): every catalogue parameter with the
        // tier's services, the relay guard, and the cross-parameter rules (mailbox limits, postlog, queue_backend).
        foreach (var (path, file) in files)
        {
            var check = new ConfigurationCheck("", path);
            check.Run(new ConfigurationDirectory("", main, file, new ParameterSet(ParameterCatalogue.All, main)));
            if (check.Fatals.FirstOrDefault() is { } fatal)
                return new ConfigValidation(fatal, warnings);
        }

        return new ConfigValidation(null, warnings);
    }

    /// <summary>Expands and converts one parameter as the daemon would; returns "where: message" on failure.</summary>
    private static string? CheckValue(ParameterSet set, string name, List<string> warnings, string where)
    {
        try
        {
            if (name == "compatibility_level")
            {
                _ = set.CompatibilityLevel;
                return null;
            }

            switch (set.Defaults.GetValueOrDefault(name))
            {
                case null:
                    warnings.Add($"{where}: unused parameter: {name}={set.GetRaw(name)}");
                    _ = set.Expand(name);
                    break;
                case BoolParameter p: _ = set.Get(p); break;
                case IntParameter p: _ = set.Get(p); break;
                case LongParameter p: _ = set.Get(p); break;
                case TimeParameter p: _ = set.Get(p); break;
                case ListParameter p: _ = set.Get(p); break;
                case StringParameter p: _ = set.Get(p); break;
                default: _ = set.Expand(name); break;
            }

            return null;
        }
        catch (ConfigException e)
        {
            return $"{where}: {e.Message}";
        }
    }
}

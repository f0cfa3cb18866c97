using Mta.Commands.Postconf;
using Mta.Config;
using Mta.Config.MainCf;
using Mta.Config.MasterCf;

namespace Mta.Commands;

/// <summary>
/// postconf(1): show main.cf parameters (all, named, -n, -d, -x, -h, -H, -o, -c) and master.cf entries,
/// fields and parameters (-M, -F, -P), or edit main.cf (-e, -X, -#). Output, warnings and exit codes follow
/// Postfix's postconf.c: warnings go to stderr as "postconf: warning: ...", errors as "postconf: fatal: ..."
/// with exit status 1.
/// </summary>
internal static class PostconfCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter err)
    {
        HostDefaults.ProcessName = "postconf";
        try
        {
            var options = PostconfOptions.Parse(args, err);
            var configDirectory = options.ConfigDirectory ?? Environment.GetEnvironmentVariable("MAIL_CONFIG") ?? "/etc/postfix";
            var explicitDirectory = options.ConfigDirectory is not null || Environment.GetEnvironmentVariable("MAIL_CONFIG") is not null;
            var mainPath = Path.Combine(configDirectory, "main.cf");
            var masterPath = Path.Combine(configDirectory, "master.cf");

            if (options.Has(PostconfMode.EditConf | PostconfMode.EditExclude | PostconfMode.CommentOut))
                return EditMain(options, mainPath, err);

            var masterMode = options.Has(PostconfMode.MasterEntry | PostconfMode.MasterField | PostconfMode.MasterParam);
            var defaultsOnly = options.Has(PostconfMode.ShowDefaults);
            var master = ReadMaster(masterPath, failOnOpenError: masterMode, err);
            var settings = defaultsOnly ? new Dictionary<string, string>(StringComparer.Ordinal)
                : ReadSettings(mainPath, options, explicitDirectory ? configDirectory : null, err);
            var services = master.Services.Select(s => new PostconfService(s.Name, s.Command, s.Overrides)).ToList();
            var parameters = new PostconfParameters(settings, services, configDirectory, err);
            if (!defaultsOnly)
                parameters.RegisterUserParameters();

            if (masterMode)
            {
                var printer = new MasterCfPrinter(output, err, options, parameters, master, services);
                if (options.Has(PostconfMode.MasterField)) printer.ShowFields(options.Arguments);
                else if (options.Has(PostconfMode.MasterParam)) printer.ShowParameters(options.Arguments);
                else printer.ShowEntries(options.Arguments);
                if (options.Has(PostconfMode.WarnUnused))
                    parameters.WarnUnused(mainToo: false);
                return 0;
            }

            ShowParameters(options, parameters, output, err);
            if (!defaultsOnly && options.Has(PostconfMode.WarnUnused))
                parameters.WarnUnused(mainToo: true);
            return 0;
        }
        catch (PostconfFatal fatal)
        {
            output.Flush();
            err.WriteLine($"postconf: fatal: {fatal.Message}");
            return 1;
        }
        catch (ConfigException e)
        {
            output.Flush();
            foreach (var warning in e.Warnings)
                err.WriteLine($"postconf: warning: {warning}");
            err.WriteLine($"postconf: fatal: {e.Message}");
            return 1;
        }
    }

    // pcf_show_parameters(): all known names sorted, or the named ones in order.
    private static void ShowParameters(PostconfOptions options, PostconfParameters parameters, TextWriter output, TextWriter err)
    {
        var names = options.Arguments.Count > 0 ? options.Arguments : parameters.KnownNames.ToList();
        foreach (var name in names)
        {
            if (!parameters.IsKnown(name))
            {
                output.Flush();
                err.WriteLine($"postconf: warning: {name}: unknown parameter");
                continue;
            }
            var value = parameters.Lookup(name, options.Has(PostconfMode.ShowDefaults), options.Has(PostconfMode.ShowNonDefault));
            if (value is null)
                continue;
            var fold = options.Has(PostconfMode.Fold);
            if (options.Has(PostconfMode.HideValue))
            {
                PostconfLinePrinter.Print(output, name, fold);
                continue;
            }
            if (options.Has(PostconfMode.ShowEval) && !PostconfParameters.IsRaw(name))
                value = parameters.Expand(value, options.Has(PostconfMode.ShowDefaults));
            PostconfLinePrinter.Print(output, options.Has(PostconfMode.HideName) ? value : $"{name} = {value}", fold);
        }
    }

    // main.cf plus "-o name=value" (and the -c directory, which Postfix records as config_directory).
    private static Dictionary<string, string> ReadSettings(string mainPath, PostconfOptions options, string? configDirectory,
        TextWriter err)
    {
        var main = MainCfFile.Load(mainPath);
        foreach (var warning in main.Warnings)
            err.WriteLine($"postconf: warning: {warning}");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (configDirectory is not null)
            settings["config_directory"] = configDirectory;
        foreach (var entry in main.Entries)
            settings[entry.Name] = entry.Value;
        foreach (var assignment in options.Overrides)
        {
            var error = NameValueSplitter.TrySplit(assignment, out var name, out var value);
            if (error is not null)
                throw new PostconfFatal($"invalid parameter override: {assignment}: {error}");
            settings[name] = value;
        }
        return settings;
    }

    private static MasterCfFile ReadMaster(string masterPath, bool failOnOpenError, TextWriter err)
    {
        if (!File.Exists(masterPath) && !failOnOpenError)
        {
            err.WriteLine($"postconf: warning: open {masterPath}: No such file or directory");
            return MasterCfFile.Parse("", masterPath, MasterCfErrorStyle.Postconf);
        }
        var master = MasterCfFile.Load(masterPath, MasterCfErrorStyle.Postconf);
        foreach (var warning in master.Warnings)
            err.WriteLine($"postconf: warning: {warning}");
        return master;
    }

    // pcf_edit_main(): rewrite main.cf through a temporary file and a rename, as Postfix's edit_file does.
    private static int EditMain(PostconfOptions options, string mainPath, TextWriter err)
    {
        if (options.Has(PostconfMode.MasterEntry | PostconfMode.MasterField | PostconfMode.MasterParam))
            throw new PostconfFatal("editing master.cf is not supported by mta yet");
        var text = File.Exists(mainPath) ? File.ReadAllText(mainPath) : "";
        var result = options.Has(PostconfMode.EditConf) ? MainCfEditor.Set(text, mainPath, options.Arguments)
            : options.Has(PostconfMode.EditExclude) ? MainCfEditor.Remove(text, mainPath, options.Arguments)
            : MainCfEditor.CommentOut(text, mainPath, options.Arguments);
        foreach (var warning in result.Warnings)
            err.WriteLine($"postconf: warning: {warning}");
        var temp = mainPath + ".tmp";
        File.WriteAllText(temp, result.Text);
        File.Move(temp, mainPath, overwrite: true);
        return 0;
    }
}

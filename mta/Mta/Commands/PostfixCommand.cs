using Mta.Config;
using Mta.Commands.Postfix;

namespace Mta.Commands;

/// <summary>
/// postfix(1): "postfix [-c DIR] [-v] check" validates main.cf and master.cf and prints Postfix-shaped
/// "postfix/postfix-script: fatal: ..." and "postfix/postfix-script: warning: ..." lines, exit status 1 on any
/// fatal problem. The other commands (start, start-fg, stop, reload, status, flush, ...) arrive with later issues.
/// </summary>
internal static class PostfixCommand
{
    private const string Usage = "usage: postfix [-c config_dir] [-Dv] command";

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter err)
    {
        string? configDirectory = null;
        var i = 0;
        for (; i < args.Count && args[i].StartsWith('-') && args[i].Length > 1; i++)
        {
            var arg = args[i];
            if (arg == "-c" && i + 1 < args.Count)
                configDirectory = args[++i];
            else if (arg.StartsWith("-c", StringComparison.Ordinal) && arg.Length > 2)
                configDirectory = arg[2..];
            else if (arg is "-v" or "-D")
                continue;
            else
            {
                err.WriteLine($"postfix: fatal: {Usage}");
                return 1;
            }
        }
        if (i >= args.Count)
        {
            err.WriteLine($"postfix: fatal: {Usage}");
            return 1;
        }
        configDirectory ??= Environment.GetEnvironmentVariable("MAIL_CONFIG") ?? "/etc/postfix";
        var command = args[i];
        if (command != "check")
            return Lifecycle.Run(command, configDirectory, output, err);
        var check = new ConfigurationCheck(configDirectory);
        check.Run();
        foreach (var warning in check.Warnings)
            err.WriteLine($"postfix/postfix-script: warning: {warning}");
        foreach (var fatal in check.Fatals)
            err.WriteLine($"postfix/postfix-script: fatal: {fatal}");
        return check.Fatals.Count == 0 ? 0 : 1;
    }
}

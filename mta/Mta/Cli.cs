namespace Mta;

/// <summary>
/// The multi-call entry point. Like Postfix's installed commands, the program is chosen by the name it was
/// started as (a link named sendmail, mailq, postconf, ...) or, when started as "mta", by the first argument
/// ("mta postconf -n"). Tests call <see cref="Run"/> in-process with their own writers.
/// </summary>
public static class Cli
{
    public const string Version = "0.1.0";

    private delegate int Command(IReadOnlyList<string> args, TextWriter output, TextWriter err);

    private static readonly Dictionary<string, Command> Commands = new(StringComparer.Ordinal)
    {
        ["postconf"] = Mta.Commands.PostconfCommand.Run,
        ["postfix"] = Mta.Commands.PostfixCommand.Run,
        ["sendmail"] = Mta.Commands.SendmailCommand.Run,
        ["mailq"] = (args, output, err) => Mta.Commands.SendmailCommand.Run(["-bp", .. args], output, err),
        ["newaliases"] = (args, output, err) => Mta.Commands.SendmailCommand.Run(["-bi", .. args], output, err),
        ["postqueue"] = Mta.Commands.Queue.PostqueueCommand.Run,
        ["postsuper"] = Mta.Commands.Queue.PostsuperCommand.Run,
        ["qshape"] = Mta.Commands.Queue.QshapeCommand.Run,
        ["postmap"] = Mta.Commands.Tables.PostmapCommand.RunPostmap,
        ["postalias"] = Mta.Commands.Tables.PostmapCommand.RunPostalias,
    };

    /// <summary>Runs one command; returns the process exit status.</summary>
    /// <param name="invokedAs">The name the process was started as (argv[0]); null or "mta" to dispatch on args[0].</param>
    public static int Run(string[] args, TextWriter output, TextWriter err, string? invokedAs = null)
    {
        try
        {
            var name = invokedAs is null ? "mta" : Path.GetFileName(invokedAs);
            if (Commands.TryGetValue(name, out var byName))
                return byName(args, output, err);
            if (args.Length == 0)
                return Usage(err);
            if (args[0] is "--version" or "-V")
            {
                output.WriteLine($"mta {Version}");
                return 0;
            }
            if (Commands.TryGetValue(args[0], out var byArgument))
                return byArgument(args[1..], output, err);
            err.WriteLine($"mta: unknown command: {args[0]}");
            return Usage(err);
        }
        finally
        {
            output.Flush();
            err.Flush();
        }
    }

    /// <summary>argv[0] as the kernel saw it (a symlink's own name), which .NET does not otherwise expose.</summary>
    public static string? InvokedName()
    {
        try
        {
            var cmdline = File.ReadAllBytes("/proc/self/cmdline");
            var end = Array.IndexOf(cmdline, (byte)0);
            var argv0 = System.Text.Encoding.UTF8.GetString(cmdline, 0, end < 0 ? cmdline.Length : end);
            return argv0.Length == 0 ? null : argv0;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int Usage(TextWriter err)
    {
        err.WriteLine($"usage: mta COMMAND [ARGS...]   (commands: {string.Join(", ", Commands.Keys.Order(StringComparer.Ordinal))})");
        err.WriteLine("       mta --version");
        return 1;
    }
}

using Mta.Queue;

namespace Mta.Commands.Sendmail;

/// <summary>sendmail(1)'s command line, as Postfix's sendmail reads it (unknown Sendmail options are accepted and ignored).</summary>
internal sealed record SendmailOptions
{
    public enum RunMode { Deliver, Smtp, Daemon, PrintQueue, Aliases, Flush }

    public RunMode Mode { get; init; } = RunMode.Deliver;
    public string? ConfigDirectory { get; init; }
    public string? Sender { get; init; }
    public string? FullName { get; init; }
    public bool ExtractRecipients { get; init; }

    /// <summary>-i / -oi: a line with a single "." does not end the message.</summary>
    public bool IgnoreDots { get; init; }
    public DsnNotify Notify { get; init; }
    public DsnRet? Ret { get; init; }
    public string? EnvId { get; init; }
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>-qIID: flush this one message (postqueue -i).</summary>
    public string? FlushQueueId { get; init; }

    /// <summary>-qRSITE: flush the mail for this site (postqueue -s).</summary>
    public string? FlushSite { get; init; }

    /// <summary>Parses the arguments; returns an error text (Postfix's) or null.</summary>
    public static string? TryParse(IReadOnlyList<string> args, out SendmailOptions options)
    {
        options = new SendmailOptions();
        var recipients = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-")
            {
                recipients.AddRange(args.Skip(i).Where(a => a != "--"));
                break;
            }
            if (arg == "--")
            {
                recipients.AddRange(args.Skip(i + 1));
                break;
            }
            string Value(string flag)
            {
                if (arg.Length > flag.Length)
                    return arg[flag.Length..];
                if (i + 1 >= args.Count)
                    throw new ArgumentException($"option requires an argument -- '{flag[1..]}'");
                return args[++i];
            }
            try
            {
                options = arg switch
                {
                    "-t" => options with { ExtractRecipients = true },
                    "-i" or "-oi" => options with { IgnoreDots = true },
                    "-bs" => options with { Mode = RunMode.Smtp },
                    "-bd" or "-bl" => options with { Mode = RunMode.Daemon },
                    "-bp" => options with { Mode = RunMode.PrintQueue },
                    "-bi" or "-I" => options with { Mode = RunMode.Aliases },
                    "-bm" or "-v" or "-m" or "-n" or "-U" or "-G" or "-Am" or "-Ac" => options,
                    // -q flushes; -qIid and -qRsite flush one message or site; -qINTERVAL is ignored, as in Postfix.
                    "-q" => options with { Mode = RunMode.Flush },
                    _ when arg.StartsWith("-qI", StringComparison.Ordinal) => options with { Mode = RunMode.Flush, FlushQueueId = Value("-qI") },
                    _ when arg.StartsWith("-qR", StringComparison.Ordinal) => options with { Mode = RunMode.Flush, FlushSite = Value("-qR") },
                    _ when arg.StartsWith("-q", StringComparison.Ordinal) => options,
                    _ when arg.StartsWith("-f", StringComparison.Ordinal) || arg.StartsWith("-r", StringComparison.Ordinal) =>
                        options with { Sender = Value(arg[..2]) },
                    _ when arg.StartsWith("-F", StringComparison.Ordinal) => options with { FullName = Value("-F") },
                    _ when arg.StartsWith("-C", StringComparison.Ordinal) => options with { ConfigDirectory = ConfigDirectoryOf(Value("-C")) },
                    _ when arg.StartsWith("-N", StringComparison.Ordinal) => options with { Notify = ParseNotify(Value("-N")) },
                    _ when arg.StartsWith("-R", StringComparison.Ordinal) => options with { Ret = ParseRet(Value("-R")) },
                    _ when arg.StartsWith("-V", StringComparison.Ordinal) => options with { EnvId = Value("-V") },
                    _ when arg.StartsWith("-o", StringComparison.Ordinal) || arg.StartsWith("-B", StringComparison.Ordinal)
                        || arg.StartsWith("-O", StringComparison.Ordinal) || arg.StartsWith("-X", StringComparison.Ordinal)
                        || arg.StartsWith("-L", StringComparison.Ordinal) || arg.StartsWith("-h", StringComparison.Ordinal) =>
                        SkipIgnored(arg, ref i, args, options),
                    _ => throw new ArgumentException($"invalid option -- '{arg.TrimStart('-')}'"),
                };
            }
            catch (ArgumentException e)
            {
                return e.Message;
            }
        }
        options = options with { Recipients = recipients };
        return null;
    }

    /// <summary>Sendmail options Postfix accepts and ignores; those of them that take a value consume it.</summary>
    private static SendmailOptions SkipIgnored(string arg, ref int i, IReadOnlyList<string> args, SendmailOptions options)
    {
        if (arg.Length == 2 && arg is "-B" or "-O" or "-L" or "-h" && i + 1 < args.Count)
            i++;
        return options;
    }

    /// <summary>-C names a main.cf file or its directory, as in Postfix.</summary>
    private static string ConfigDirectoryOf(string path) =>
        Path.GetFileName(path) == "main.cf" ? Path.GetDirectoryName(path) ?? "." : path;

    private static DsnNotify ParseNotify(string text)
    {
        var notify = DsnNotify.Default;
        foreach (var word in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            notify |= word.ToLowerInvariant() switch
            {
                "never" => DsnNotify.Never,
                "success" => DsnNotify.Success,
                "failure" => DsnNotify.Failure,
                "delay" => DsnNotify.Delay,
                _ => throw new ArgumentException($"bad -N option value: {text}"),
            };
        if (notify.HasFlag(DsnNotify.Never) && notify != DsnNotify.Never)
            throw new ArgumentException($"bad -N option value: {text}");
        return notify;
    }

    private static DsnRet ParseRet(string text) => text.ToLowerInvariant() switch
    {
        "full" => DsnRet.Full,
        "hdrs" => DsnRet.Hdrs,
        _ => throw new ArgumentException($"bad -R option value: {text}"),
    };
}

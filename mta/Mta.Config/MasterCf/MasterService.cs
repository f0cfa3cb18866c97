namespace Mta.Config.MasterCf;

/// <summary>
/// One master.cf service entry. The *Field properties keep the raw column texts ("-" included) that
/// postconf -M/-F print; the Is*/Get* members apply master(8)'s "-" defaults.
/// </summary>
public sealed record MasterService
{
    public required string Name { get; init; }
    public required string TypeField { get; init; }
    public required ServiceType Type { get; init; }
    public required string PrivateField { get; init; }
    public required string UnprivilegedField { get; init; }
    public required string ChrootField { get; init; }
    public required string WakeupField { get; init; }
    public required string MaxProcField { get; init; }
    public required string Command { get; init; }

    /// <summary>Arguments after the command as master(8) passes them: { } groups unwrapped and trimmed.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>Arguments as postconf normalizes them for -M/-F/-P: "-o" "name=value" pairs, { } unwrapped.</summary>
    public required IReadOnlyList<string> PostconfArguments { get; init; }

    /// <summary>The -o name=value overrides, in order (a later one for the same name wins).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Overrides { get; init; }

    /// <summary>The listen endpoint of an inet service; null for other types.</summary>
    public InetEndpoint? Endpoint { get; init; }

    /// <summary>The logical line as read (continuations appended).</summary>
    public required string RawText { get; init; }

    public required int Line { get; init; }
    public required int LastLine { get; init; }

    /// <summary>"name/type", the key postconf -F/-P use and duplicates are detected by.</summary>
    public string Key => $"{Name}/{TypeField}";

    /// <summary>Column 3: private unless "n" (default "y").</summary>
    public bool IsPrivate => PrivateField != "n";

    /// <summary>Column 4: unprivileged unless "n" (default "y").</summary>
    public bool IsUnprivileged => UnprivilegedField != "n";

    /// <summary>Column 5: "-" means chroot below compatibility level 1 and no chroot from level 1 on.</summary>
    public bool IsChrooted(CompatibilityLevel level) =>
        ChrootField == "-" ? level < new CompatibilityLevel(1) : ChrootField == "y";

    /// <summary>Column 6 in seconds (0: no wakeup).</summary>
    public int WakeupSeconds => LeadingNumber(WakeupField);

    /// <summary>A trailing '?' on the wakeup time: no wakeup before the service was first used.</summary>
    public bool WakeupOnlyAfterUse => WakeupSeconds > 0 && WakeupField.EndsWith('?');

    /// <summary>Column 7: "-" means $default_process_limit; 0 means no limit.</summary>
    public int GetMaxProcesses(ParameterSet parameters) => MaxProcField == "-"
        ? TypedValueParser.ParseInt("default_process_limit", parameters.Expand("default_process_limit"), 1, 0)
        : LeadingNumber(MaxProcField);

    // atoi(): the leading digits ("-" and "-?" give 0), saturating instead of overflowing.
    private static int LeadingNumber(string text)
    {
        long n = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
                break;
            n = Math.Min(int.MaxValue, n * 10 + (c - '0'));
        }
        return (int)n;
    }

    /// <summary>The process name: the command's base name (Postfix's process_name).</summary>
    public string ProcessName => Command[(Command.LastIndexOf('/') + 1)..];

    /// <summary>This service's parameters: main.cf's plus its -o overrides (and service_name/process_name).</summary>
    public ParameterSet Apply(ParameterSet parameters) => parameters.WithOverrides(
        Overrides.Prepend(new("process_name", ProcessName))
            .Prepend(new("service_name", Name)));
}

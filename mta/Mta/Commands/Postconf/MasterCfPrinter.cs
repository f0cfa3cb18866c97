using System.Text;
using Mta.Config.MasterCf;

namespace Mta.Commands.Postconf;

/// <summary>
/// postconf -M, -F and -P (postconf_master.c): master.cf entries with the standard fields at Postfix's
/// column goals and each "-o name=value" on its own continuation line, one "service/type/field = value"
/// line per field, or one "service/type/name = value" line per -o parameter. Requests are
/// service[/type[/field-or-parameter]] patterns where "*" matches anything.
/// </summary>
internal sealed class MasterCfPrinter(
    TextWriter output, TextWriter err, PostconfOptions options, PostconfParameters parameters,
    MasterCfFile master, IReadOnlyList<PostconfService> services)
{
    private const int LineLimit = 80;
    private const int IndentLength = 4;
    private const string Indent = "    ";
    private static readonly int[] ColumnGoal = [0, 11, 17, 25, 33, 41, 49, 57];
    private static readonly string[] FieldNames =
        ["service", "type", "private", "unprivileged", "chroot", "wakeup", "process_limit", "command"];
    private static readonly char[] Blanks = [' ', '\t', '\r', '\n'];

    private bool Fold => options.Has(PostconfMode.Fold);

    public void ShowEntries(IReadOnlyList<string> requests)
    {
        var patterns = Patterns(requests, 2, "-M option requires service_name[/type]");
        var matches = new int[patterns.Count];
        foreach (var entry in master.Entries)
        {
            if (patterns.Count == 0)
            {
                output.Write(FormatEntry(entry));
                continue;
            }
            for (var i = 0; i < patterns.Count; i++)
                if (Matches(patterns[i], entry))
                {
                    matches[i]++;
                    output.Write(FormatEntry(entry));
                }
        }
        WarnUnmatched(requests, matches);
    }

    public void ShowFields(IReadOnlyList<string> requests)
    {
        var patterns = Patterns(requests, 3, "-F option requires service_name[/type[/field]]");
        foreach (var pattern in patterns)
            if (pattern[2] != "*" && Array.IndexOf(FieldNames, pattern[2]) < 0)
                throw new PostconfFatal($"invalid service attribute name: \"{pattern[2]}\"");
        var matches = new int[patterns.Count];
        foreach (var entry in master.Entries)
        {
            if (patterns.Count == 0)
            {
                for (var field = 0; field < FieldNames.Length; field++)
                    output.Write(FormatField(entry, field));
                continue;
            }
            for (var i = 0; i < patterns.Count; i++)
            {
                if (!Matches(patterns[i], entry))
                    continue;
                matches[i]++;
                if (patterns[i][2] == "*")
                    for (var field = 0; field < FieldNames.Length; field++)
                        output.Write(FormatField(entry, field));
                else
                    output.Write(FormatField(entry, Array.IndexOf(FieldNames, patterns[i][2])));
            }
        }
        WarnUnmatched(requests, matches);
    }

    public void ShowParameters(IReadOnlyList<string> requests)
    {
        var patterns = Patterns(requests, 3, "-P option requires service_name[/type[/parameter]]");
        var matches = new int[patterns.Count];
        foreach (var entry in master.Entries)
        {
            var scope = Scope(entry);
            var byName = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in entry.Overrides)
                byName[name] = value;
            if (byName.Count == 0)
                continue;
            if (patterns.Count == 0)
            {
                foreach (var (name, value) in byName)
                    PrintParameter(entry, scope, name, value);
                continue;
            }
            for (var i = 0; i < patterns.Count; i++)
            {
                if (!Matches(patterns[i], entry))
                    continue;
                if (patterns[i][2] == "*")
                {
                    foreach (var (name, value) in byName)
                        PrintParameter(entry, scope, name, value);
                    matches[i]++;
                }
                else if (byName.TryGetValue(patterns[i][2], out var value))
                {
                    PrintParameter(entry, scope, patterns[i][2], value);
                    matches[i]++;
                }
            }
        }
        WarnUnmatched(requests, matches);
    }

    private void PrintParameter(MasterService entry, PostconfService scope, string name, string value)
    {
        var nameSpace = $"{entry.Name}/{entry.TypeField}/{name}";
        if (options.Has(PostconfMode.HideValue))
        {
            PostconfLinePrinter.Print(output, nameSpace, Fold);
            return;
        }
        if (options.Has(PostconfMode.ShowEval))
            value = parameters.Expand(value, defaultsOnly: false, scope);
        PostconfLinePrinter.Print(output, options.Has(PostconfMode.HideName) ? value : $"{nameSpace} = {value}", Fold);
    }

    // pcf_print_master_entry().
    private string FormatEntry(MasterService entry)
    {
        var line = new StringBuilder();
        var fields = StandardFields(entry);
        var length = 0;
        for (var field = 0; field < fields.Length; field++)
        {
            if (length > 0)
                do { line.Append(' '); length++; } while (length < ColumnGoal[field]);
            line.Append(fields[field]);
            length += fields[field].Length;
        }
        AppendArguments(line, entry, length, valueSeparatorLength: 3);
        return line.Append('\n').ToString();
    }

    // pcf_print_master_field().
    private string FormatField(MasterService entry, int field)
    {
        var line = new StringBuilder();
        var length = 0;
        if (!options.Has(PostconfMode.HideName))
        {
            var name = $"{entry.Name}/{entry.TypeField}/{FieldNames[field]}";
            line.Append(name);
            length = name.Length;
        }
        if (!options.Has(PostconfMode.HideName | PostconfMode.HideValue))
        {
            line.Append(" = ");
            length += 3;
        }
        if (!options.Has(PostconfMode.HideValue))
        {
            var value = StandardFields(entry)[field];
            if (length > 0 && length + value.Length > LineLimit)
            {
                line.Append('\n').Append(Indent);
                length = IndentLength;
            }
            line.Append(value);
            length += value.Length;
            if (field == FieldNames.Length - 1)
                AppendArguments(line, entry, length, valueSeparatorLength: 1);
        }
        return line.Append('\n').ToString();
    }

    // The daemon options and arguments: an option with a value starts and ends a line; an argument with
    // white space is shown in { }.
    private void AppendArguments(StringBuilder line, MasterService entry, int length, int valueSeparatorLength)
    {
        var args = entry.PostconfArguments;
        var inDaemonOptions = true;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var argLength = arg.Length;
            string? value = null;
            var needBraces = false;
            if (inDaemonOptions)
            {
                if (arg.Length == 0 || arg[0] != '-' || arg == "--")
                    inDaemonOptions = false;
                else if (arg.Length > 1 && arg[1] == 'o' && i + 1 < args.Count)
                {
                    value = args[i + 1];
                    length = LineLimit;
                    if (arg == "-o" && options.Has(PostconfMode.ShowEval))
                        value = parameters.Expand(value, defaultsOnly: false, Scope(entry));
                    argLength += value.Length + valueSeparatorLength;
                    needBraces = value.IndexOfAny(Blanks) >= 0;
                    if (needBraces)
                        argLength += 2;
                }
            }
            if (!inDaemonOptions)
                needBraces = arg.IndexOfAny(Blanks) >= 0;
            if (length > IndentLength)
            {
                if (!Fold || length + 1 + argLength < LineLimit)
                {
                    line.Append(' ');
                    length++;
                }
                else
                {
                    line.Append('\n').Append(Indent);
                    length = IndentLength;
                }
            }
            var braced = !inDaemonOptions && needBraces;
            line.Append(braced ? "{" + arg + "}" : arg);
            length += arg.Length + (braced ? 2 : 0);
            if (value is not null)
            {
                line.Append(' ').Append(needBraces ? "{" + value + "}" : value);
                i++;
                length = LineLimit;
            }
        }
    }

    private static string[] StandardFields(MasterService e) =>
        [e.Name, e.TypeField, e.PrivateField, e.UnprivilegedField, e.ChrootField, e.WakeupField, e.MaxProcField, e.Command];

    private PostconfService Scope(MasterService entry) =>
        services.FirstOrDefault(s => s.Name == entry.Name && ReferenceEquals(s.Overrides, entry.Overrides))
        ?? new PostconfService(entry.Name, entry.Command, entry.Overrides);

    // pcf_parse_service_pattern(): 1..max parts split on '/', missing parts are "*"; "*" only as a whole part.
    private static List<string[]> Patterns(IReadOnlyList<string> requests, int max, string error)
    {
        var result = new List<string[]>();
        foreach (var request in requests)
        {
            var parts = request.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (request.StartsWith('/') || parts.Length < 1 || parts.Length > max
                || parts.Any(p => p != "*" && p.Contains('*')))
                throw new PostconfFatal(error);
            result.Add([.. parts, .. Enumerable.Repeat("*", max - parts.Length)]);
        }
        return result;
    }

    private static bool Matches(string[] pattern, MasterService entry) =>
        (pattern[0] == "*" || pattern[0] == entry.Name) && (pattern[1] == "*" || pattern[1] == entry.TypeField);

    private void WarnUnmatched(IReadOnlyList<string> requests, int[] matches)
    {
        output.Flush();
        for (var i = 0; i < requests.Count; i++)
            if (matches[i] == 0)
                err.WriteLine($"postconf: warning: unmatched request: \"{requests[i]}\"");
    }
}

using System.Text;

namespace Mta.Config.MainCf;

/// <summary>
/// The main.cf text edits of postconf -e (set), -X (remove) and -# (comment out), as pure functions over the
/// file text (pcf_edit_main). A setting is replaced in place as "name = value" (its continuation lines are
/// dropped); -# prefixes '#' to the line and its continuation lines; -X drops them; names -e did not find are
/// appended at the end sorted by name. Comment and blank lines pass through untouched; a missing final
/// newline is added to every line written.
/// </summary>
public static class MainCfEditor
{
    private enum Mode { Set, Remove, CommentOut }

    public sealed record Result(string Text, IReadOnlyList<string> Warnings);

    /// <summary>postconf -e: arguments are "name=value" texts as given on the command line.</summary>
    public static Result Set(string text, string path, IEnumerable<string> assignments) =>
        Edit(text, path, Mode.Set, assignments);

    /// <summary>postconf -X: removes each named setting.</summary>
    public static Result Remove(string text, string path, IEnumerable<string> names) =>
        Edit(text, path, Mode.Remove, names);

    /// <summary>postconf -#: comments out each named setting.</summary>
    public static Result CommentOut(string text, string path, IEnumerable<string> names) =>
        Edit(text, path, Mode.CommentOut, names);

    private static Result Edit(string text, string path, Mode mode, IEnumerable<string> arguments)
    {
        var warnings = new List<string>();
        var requests = ParseRequests(mode, arguments, warnings);
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        var output = new StringBuilder(text.Length + 64);
        bool interesting = false;

        foreach (var physical in LogicalLineReader.SplitPhysical(text))
        {
            var line = physical + "\n";
            int content = 0;
            while (content < line.Length && LogicalLineReader.IsSpace(line[content]))
                content++;
            if (content == line.Length || line[content] == '#')
            {
                output.Append(line);
                continue;
            }
            if (content > 0)
            {
                if (!interesting)
                    output.Append(line);
                else if (mode == Mode.CommentOut)
                    output.Append('#').Append(line);
                continue;
            }
            int keyEnd = 0;
            while (keyEnd < line.Length && !LogicalLineReader.IsSpace(line[keyEnd]) && line[keyEnd] != '=')
                keyEnd++;
            var key = line[..keyEnd];
            interesting = requests.TryGetValue(key, out var value);
            if (!interesting)
            {
                output.Append(line);
                continue;
            }
            found[key] = found.GetValueOrDefault(key) + 1;
            if (found[key] == 2)
                warnings.Add($"{path}: multiple entries for \"{key}\"");
            if (mode == Mode.Set)
                output.Append(key).Append(" = ").Append(value).Append('\n');
            else if (mode == Mode.CommentOut)
                output.Append('#').Append(line);
        }

        if (mode == Mode.Set)
            foreach (var (name, value) in requests.Where(r => !found.ContainsKey(r.Key)).OrderBy(r => r.Key, StringComparer.Ordinal))
                output.Append(name).Append(" = ").Append(value).Append('\n');
        return new Result(output.ToString(), warnings);
    }

    private static Dictionary<string, string?> ParseRequests(Mode mode, IEnumerable<string> arguments, List<string> warnings)
    {
        var requests = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var argument in arguments)
        {
            if (argument.Contains('\n'))
                throw new ConfigException("-e, -X, or -# accepts no multi-line input");
            var cp = argument.TrimStart(' ', '\t', '\r', '\v', '\f');
            if (cp.StartsWith('#'))
                throw new ConfigException("-e, -X, or -# accepts no comment input");
            string name;
            string? value = null;
            if (mode == Mode.Set)
            {
                var error = NameValueSplitter.TrySplit(cp, out name, out var v);
                if (error is not null)
                    throw new ConfigException($"{error}: \"{cp}\"");
                value = v;
            }
            else
            {
                if (cp.Length == 0)
                    throw new ConfigException("-X or -# requires non-blank parameter names");
                if (cp.Contains('='))
                    throw new ConfigException("-X or -# requires parameter names without value");
                name = cp.TrimEnd(' ', '\t', '\r', '\v', '\f');
            }
            if (requests.TryGetValue(name, out var earlier) && value is not null && earlier is not null && earlier != value)
                warnings.Add($"ignoring earlier request: '{name} = {earlier}'");
            requests[name] = value;
        }
        return requests;
    }
}

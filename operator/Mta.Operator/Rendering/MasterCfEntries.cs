namespace Mta.Operator.Rendering;

/// <summary>
/// The little of master.cf the validator needs: each entry's service name, command and -o overrides, and a
/// field-count check. (Full master.cf semantics belong to Mta.Config.)
/// </summary>
public static class MasterCfEntries
{
    public sealed record Entry(string Name, string Type, string Command, IReadOnlyList<KeyValuePair<string, string>> Overrides, int Line, string? Error);

    public static IReadOnlyList<Entry> Parse(string text)
    {
        var entries = new List<Entry>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var tokens = new List<string>();
        var startLine = 0;

        void Flush()
        {
            if (tokens.Count == 0)
                return;
            entries.Add(ToEntry(tokens, startLine));
            tokens.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith('#') || line.Trim().Length == 0)
                continue;
            if (!char.IsWhiteSpace(line[0]))
            {
                Flush();
                startLine = i + 1;
            }

            tokens.AddRange(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }

        Flush();
        return entries;
    }

    private static Entry ToEntry(List<string> tokens, int line)
    {
        if (tokens.Count < 8)
            return new Entry(tokens[0], tokens.ElementAtOrDefault(1) ?? "", "", [], line, $"bad field count: \"{string.Join(' ', tokens)}\"");

        var overrides = new List<KeyValuePair<string, string>>();
        for (var i = 8; i < tokens.Count; i++)
        {
            if (tokens[i] != "-o" || i + 1 >= tokens.Count)
                continue;
            var option = tokens[++i];
            var eq = option.IndexOf('=');
            if (eq <= 0)
                return new Entry(tokens[0], tokens[1], tokens[7], overrides, line, $"missing \"=\" in -o argument: \"{option}\"");
            overrides.Add(new(option[..eq], option[(eq + 1)..]));
        }

        return new Entry(tokens[0], tokens[1], tokens[7], overrides, line, null);
    }
}

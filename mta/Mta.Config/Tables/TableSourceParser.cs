namespace Mta.Config.Tables;

/// <summary>
/// Parses a postmap(1) source ("key whitespace value") or, with <see cref="TableOpenOptions.AliasSyntax"/>, a
/// postalias(1)/aliases(5) source ("name: value, value"). Later duplicates are ignored with Postfix's warning,
/// as postmap does by default; keys are folded to lower case unless <see cref="TableOpenOptions.FoldCase"/> is off.
/// </summary>
public static class TableSourceParser
{
    public static IReadOnlyList<TableEntry> Parse(TextReader reader, string sourceName, TableOpenOptions options)
    {
        var entries = new List<TableEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in LogicalLineReader.Read(reader,
                     n => options.Warning($"{sourceName}, line {n}: logical line must not start with whitespace")))
        {
            if (!TrySplit(line.Text, options.AliasSyntax, out var key, out var value))
            {
                options.Warning(options.AliasSyntax
                    ? $"{sourceName}, line {line.LineNumber}: need name:value pair"
                    : $"{sourceName}, line {line.LineNumber}: expected format: key whitespace value");
                continue;
            }
            if (options.FoldCase)
                key = key.ToLowerInvariant();
            if (!seen.Add(key))
            {
                options.Warning($"{sourceName}, line {line.LineNumber}: duplicate entry: \"{key}\"");
                continue;
            }
            entries.Add(new TableEntry(key, value, line.LineNumber));
        }
        return entries;
    }

    public static IReadOnlyList<TableEntry> ParseFile(string path, TableOpenOptions options)
    {
        using var reader = new StreamReader(path);
        return Parse(reader, path, options);
    }

    private static bool TrySplit(string text, bool aliasSyntax, out string key, out string value)
    {
        key = value = "";
        if (aliasSyntax)
            return TrySplitAlias(text, out key, out value);
        var end = 0;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
            end++;
        key = text[..end];
        value = text[end..].Trim();
        // postmap accepts a key without value only as an error; Postfix says "expected format: key whitespace value".
        return key.Length > 0 && value.Length > 0;
    }

    // aliases(5): the name ends at the first unquoted ':'; a quoted name may contain white space, '#', ':' or '@'.
    private static bool TrySplitAlias(string text, out string key, out string value)
    {
        key = value = "";
        var inQuote = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && inQuote && i + 1 < text.Length) { i++; continue; }
            if (c == '"') inQuote = !inQuote;
            else if (c == ':' && !inQuote)
            {
                var name = text[..i].Trim();
                if (name.Length >= 2 && name[0] == '"' && name[^1] == '"')
                    name = name[1..^1].Replace("\\\"", "\"").Replace("\\\\", "\\");
                key = name;
                value = text[(i + 1)..].Trim();
                return key.Length > 0 && value.Length > 0;
            }
        }
        return false;
    }
}

namespace Mta.Config.Tables;

/// <summary>
/// The rule lines of a pattern table (regexp:, pcre:, cidr:): read from a file with readllines(3) semantics, or from
/// the in-line form "type:{ {rule}, {rule} }" (Postfix 3.7+), each rule numbered for "file, line N" diagnostics.
/// </summary>
public static class PatternRuleSource
{
    public static IReadOnlyList<LogicalLineReader.LogicalLine> Read(string type, string name)
    {
        var reference = $"{type}:{name}";
        if (name.TrimStart().StartsWith('{'))
        {
            if (!BraceSyntax.TryStripBraces(name, out var inner, out var error))
                throw new TableLookupException(reference, error!);
            var lines = new List<LogicalLineReader.LogicalLine>();
            var n = 0;
            foreach (var token in BraceSyntax.SplitTopLevel(inner))
            {
                n++;
                if (!BraceSyntax.TryStripBraces(token, out var rule, out error))
                    throw new TableLookupException(reference, $"{error} in \"{token}\"");
                if (rule.Length > 0)
                    lines.Add(new LogicalLineReader.LogicalLine(rule, n));
            }
            return lines;
        }
        try
        {
            using var reader = new StreamReader(name);
            return LogicalLineReader.Read(reader).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TableLookupException(reference, $"open {name}: {e.Message}", e);
        }
    }

    /// <summary>Splits "keyword rest" at the first white space.</summary>
    public static (string First, string Remainder) SplitFirstWord(string text)
    {
        var end = 0;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
            end++;
        return (text[..end], text[end..].Trim());
    }
}

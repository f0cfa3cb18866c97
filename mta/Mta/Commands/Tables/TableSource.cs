using System.Text;
using Mta.Config.Tables;

namespace Mta.Commands.Tables;

/// <summary>
/// Reads a source file the way postmap(1) ("key whitespace value") or postalias(1) (aliases(5): "name: value, ...")
/// read it: logical lines as readllines() makes them, bad lines skipped with Postfix's warning, every good pair
/// returned in file order (duplicates are the builder's business: warn, replace or ignore).
/// </summary>
internal static class TableSource
{
    /// <summary>Lazily, so that the caller's duplicate warnings interleave with these in file order, as Postfix's do.</summary>
    public static IEnumerable<SourceLine> Read(TextReader reader, string sourceName, bool aliasSyntax, Action<string> warn)
    {
        foreach (var line in LogicalLineReader.Read(reader, n => warn($"{sourceName}, line {n}: logical line must not start with whitespace")))
        {
            var pair = aliasSyntax ? AliasPair(line.Text, sourceName, line.LineNumber, warn) : PostmapPair(line.Text, sourceName, line.LineNumber, warn);
            if (pair is { } p)
                yield return p;
        }
    }

    // postmap: split at the first white space; both halves trimmed; neither may be empty.
    private static SourceLine? PostmapPair(string text, string source, int lineNumber, Action<string> warn)
    {
        var split = 0;
        while (split < text.Length && !char.IsWhiteSpace(text[split]))
            split++;
        var key = text[..split].Trim();
        var value = text[split..].Trim();
        if (key.Length == 0 || value.Length == 0)
        {
            warn($"{source}, line {lineNumber}: expected format: key whitespace value");
            return null;
        }
        if (key.EndsWith(':'))
            warn($"{source}, line {lineNumber}: record is in \"key: value\" format; is this an alias file?");
        return new SourceLine(key, value, lineNumber);
    }

    // aliases(5), as postalias tokenizes it: the name ends at the first ':' outside quotes; it must be one local
    // name (no ',', no unquoted '@' or '%'); the name is stored unquoted, the value as its addresses joined by ", ".
    private static SourceLine? AliasPair(string text, string source, int lineNumber, Action<string> warn)
    {
        var colon = IndexOutsideQuotes(text, ':', 0);
        var name = colon < 0 ? "" : text[..colon].Trim();
        var value = colon < 0 ? "" : text[(colon + 1)..].Trim();
        if (name.Length == 0 || value.Length == 0 || IndexOutsideQuotes(name, ',', 0) >= 0)
        {
            warn($"{source}, line {lineNumber}: need name:value pair");
            return null;
        }
        if (IndexOutsideQuotes(name, '@', 0) >= 0 || IndexOutsideQuotes(name, '%', 0) >= 0)
        {
            warn($"{source}, line {lineNumber}: name must be local");
            return null;
        }
        return new SourceLine(Unquote(name), JoinAddresses(value), lineNumber);
    }

    private static int IndexOutsideQuotes(string text, char wanted, int start)
    {
        var quoted = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length) { i++; continue; }
            if (c == '"') quoted = !quoted;
            else if (c == wanted && !quoted) return i;
        }
        return -1;
    }

    private static string Unquote(string name)
    {
        var text = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '\\' && i + 1 < name.Length) text.Append(name[++i]);
            else if (c != '"') text.Append(c);
        }
        return text.ToString().Trim();
    }

    private static string JoinAddresses(string value)
    {
        var parts = new List<string>();
        var start = 0;
        while (true)
        {
            var comma = IndexOutsideQuotes(value, ',', start);
            var part = CollapseSpace(value[start..(comma < 0 ? value.Length : comma)]);
            if (part.Length > 0)
                parts.Add(part);
            if (comma < 0)
                return string.Join(", ", parts);
            start = comma + 1;
        }
    }

    // Runs of white space outside quotes become one space, as re-joining RFC 822 tokens yields.
    private static string CollapseSpace(string text)
    {
        var result = new StringBuilder(text.Length);
        var quoted = false;
        foreach (var c in text.Trim())
        {
            if (c == '"') quoted = !quoted;
            if (!quoted && char.IsWhiteSpace(c))
            {
                if (result.Length > 0 && result[^1] != ' ') result.Append(' ');
                continue;
            }
            result.Append(c);
        }
        return result.ToString();
    }
}

using System.Text;

namespace Mta.Config.Tables;

/// <summary>
/// Postfix's readllines(3): blank lines and lines whose first non-blank character is '#' are ignored;
/// a line starting with white space continues the previous logical line. Shared by every table source format.
/// </summary>
public static class LogicalLineReader
{
    /// <summary>One logical line and the physical line number it started on.</summary>
    public readonly record struct LogicalLine(string Text, int LineNumber);

    public static IEnumerable<LogicalLine> Read(TextReader reader, Action<int>? orphanContinuation = null)
    {
        var current = new StringBuilder();
        var start = 0;
        var lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNumber++;
            var trimmed = line.AsSpan().TrimStart();
            if (trimmed.IsEmpty || trimmed[0] == '#')
                continue;
            if (char.IsWhiteSpace(line[0]))
            {
                if (current.Length == 0)
                {
                    // readllines: "logical line must not start with whitespace" - ignore the text.
                    orphanContinuation?.Invoke(lineNumber);
                    continue;
                }
                current.Append(line);
                continue;
            }
            if (current.Length > 0)
                yield return new LogicalLine(current.ToString().TrimEnd(), start);
            current.Clear().Append(line);
            start = lineNumber;
        }
        if (current.Length > 0)
            yield return new LogicalLine(current.ToString().TrimEnd(), start);
    }

    public static IEnumerable<LogicalLine> ReadString(string text) => Read(new StringReader(text));
}

namespace Mta.Config.MainCf;

/// <summary>
/// Splits configuration text into logical lines the way Postfix's readllines() does: empty, all-blank and
/// '#' comment lines are skipped (also between a line and its continuations), and a line that starts with
/// white space continues the previous one. Continuations are appended exactly as read (leading white space
/// kept); postconf only normalizes white space when it prints.
/// </summary>
public static class LogicalLineReader
{
    /// <summary>Reads every logical line. <paramref name="warnings"/> receives Postfix's warning texts.</summary>
    public static IReadOnlyList<LogicalLine> Read(string text, string path, ICollection<string>? warnings = null)
    {
        var result = new List<LogicalLine>();
        var physical = SplitPhysical(text);
        var buffer = new System.Text.StringBuilder();
        int first = 0, last = 0;

        for (int i = 0; i < physical.Count; i++)
        {
            var line = physical[i];
            int number = i + 1;
            if (IsBlankOrComment(line))
                continue;
            if (StartsWithSpace(line))
            {
                if (buffer.Length == 0)
                {
                    // Continuation without a preceding line: Postfix warns and drops it (with its own continuations).
                    var dropped = new System.Text.StringBuilder(line);
                    while (i + 1 < physical.Count && (IsBlankOrComment(physical[i + 1]) || StartsWithSpace(physical[i + 1])))
                    {
                        i++;
                        if (!IsBlankOrComment(physical[i]))
                            dropped.Append(physical[i]);
                    }
                    var shown = dropped.ToString();
                    warnings?.Add($"{path}: logical line must not start with whitespace: \"{Truncate(shown)}{(shown.Length > 30 ? "..." : "")}\"");
                    continue;
                }
                buffer.Append(line);
                last = number;
                continue;
            }
            if (buffer.Length > 0)
                result.Add(new LogicalLine(buffer.ToString(), first, last));
            buffer.Clear().Append(line);
            first = last = number;
        }
        if (buffer.Length > 0)
            result.Add(new LogicalLine(buffer.ToString(), first, last));
        return result;
    }

    /// <summary>Physical lines without their '\n' (a final line without newline still counts).</summary>
    public static List<string> SplitPhysical(string text)
    {
        var lines = new List<string>(text.Split('\n'));
        if (lines.Count > 0 && lines[^1].Length == 0)
            lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    internal static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\v' or '\f';

    private static bool StartsWithSpace(string line) => line.Length > 0 && IsSpace(line[0]);

    private static bool IsBlankOrComment(string line)
    {
        foreach (var c in line)
        {
            if (IsSpace(c))
                continue;
            return c == '#';
        }
        return true;
    }

    private static string Truncate(string s) => s.Length > 30 ? s[..30] : s;
}

namespace Mta.Delivery.Notices;

/// <summary>
/// Postfix's line_wrap(): breaks text at blanks so lines stay within a width, continuation lines indented
/// (bounce(8) wraps "&lt;rcpt&gt;: reason", Remote-MTA: and Diagnostic-Code: at 79 columns, indent 4). A word
/// longer than the width is never split. Trailing blanks of each piece are dropped.
/// </summary>
public static class LineWrap
{
    public const int NoticeWidth = 79;
    public const int NoticeIndent = 4;

    public static IReadOnlyList<string> Wrap(string text, int width = NoticeWidth, int indent = NoticeIndent)
    {
        var lines = new List<string>();
        int currentIndent = 0, currentWidth = width;
        int lineStart = 0;
        for (int word = 0; word >= 0;)
        {
            int nextSpace = text.IndexOfAny(Blanks, word);
            if (nextSpace < 0) nextSpace = text.Length;
            if (word > lineStart && nextSpace - lineStart > currentWidth)
            {
                lines.Add(Piece(text, lineStart, word, currentIndent));
                while (word < text.Length && IsBlank(text[word])) word++;
                if (lineStart == 0)
                {
                    currentIndent += indent;
                    currentWidth -= indent;
                }
                lineStart = word;
            }
            word = nextSpace < text.Length ? nextSpace + 1 : -1;
        }
        lines.Add(Piece(text, lineStart, text.Length, currentIndent));
        return lines;
    }

    private static readonly char[] Blanks = [' ', '\t'];

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\r' or '\n' or '\v' or '\f';

    private static string Piece(string text, int start, int end, int indent)
    {
        while (end > start && IsBlank(text[end - 1])) end--;
        return new string(' ', indent) + text[start..Math.Max(start, end)];
    }
}

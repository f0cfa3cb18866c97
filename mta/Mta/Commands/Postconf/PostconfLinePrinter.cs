using System.Text;

namespace Mta.Commands.Postconf;

/// <summary>
/// pcf_print_line(): every run of white space becomes one space, leading and trailing white space goes,
/// and with -f a line is folded before 80 columns with a continuation indented by four spaces.
/// </summary>
internal static class PostconfLinePrinter
{
    private const int LineLimit = 80;
    private const string Indent = "    ";
    private static readonly char[] Separators = [' ', '\t', '\r', '\n'];

    public static void Print(TextWriter output, string text, bool fold)
    {
        var line = new StringBuilder();
        var lineLength = 0;
        foreach (var word in text.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (lineLength > 0)
            {
                if (!fold || lineLength + word.Length < LineLimit)
                {
                    line.Append(' ');
                    lineLength += 1;
                }
                else
                {
                    line.Append('\n').Append(Indent);
                    lineLength = Indent.Length;
                }
            }
            line.Append(word);
            lineLength += word.Length;
        }
        line.Append('\n');
        output.Write(line.ToString());
    }
}

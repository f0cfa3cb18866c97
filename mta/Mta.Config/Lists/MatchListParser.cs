using Mta.Config.MainCf;

namespace Mta.Config.Lists;

/// <summary>
/// Expands a match list the way Postfix's match_list_parse() does: items split by <see cref="ConfigList"/>,
/// leading '!' toggles negation, "/file/name" items are replaced by the file's contents (logical lines,
/// comments allowed, parsed recursively with the negation carried over).
/// </summary>
public static class MatchListParser
{
    /// <param name="parameterName">The list's parameter name, used in Postfix's fatal text for a bare '!'.</param>
    /// <param name="readFile">Returns a file's text; throws IOException/UnauthorizedAccessException when unreadable.</param>
    public static IReadOnlyList<MatchListItem> Parse(string text, string parameterName, Func<string, string>? readFile = null)
    {
        var items = new List<MatchListItem>();
        Parse(text, parameterName, readFile ?? File.ReadAllText, negated: false, items, depth: 0);
        return items;
    }

    private static void Parse(string text, string parameterName, Func<string, string> readFile, bool negated,
        List<MatchListItem> items, int depth)
    {
        foreach (var token in ConfigList.Split(text))
        {
            bool negate = negated;
            int i = 0;
            while (i < token.Length && token[i] == '!')
            {
                negate = !negate;
                i++;
            }
            var item = token[i..];
            if (item.Length == 0)
                throw new ConfigException($"{parameterName}: no pattern after '!'");
            if (item[0] != '/')
            {
                items.Add(new MatchListItem(item, negate));
                continue;
            }
            string content;
            try
            {
                content = readFile(item);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                items.Add(new MatchListItem(item, negate, $"open file {item}: {MainCfFile.DescribeIoError(e)}"));
                continue;
            }
            if (depth > 100)
                throw new ConfigException($"{parameterName}: file inclusion nested too deeply: {item}");
            foreach (var line in LogicalLineReader.Read(content, item))
                Parse(line.Text, parameterName, readFile, negate, items, depth + 1);
        }
    }
}

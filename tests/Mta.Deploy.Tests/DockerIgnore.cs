using System.Text;
using System.Text.RegularExpressions;

namespace Mta.Deploy.Tests;

/// <summary>
/// .dockerignore semantics as Docker's pattern matcher applies them: patterns in order, the last match wins,
/// "!" re-includes, a pattern that matches a parent directory matches everything below it.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Include)> _rules = [];

    public DockerIgnore(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var include = line.StartsWith('!');
            var pattern = (include ? line[1..] : line).Trim().Trim('/');
            _rules.Add((ToRegex(pattern), include));
        }
    }

    public static DockerIgnore Load() => new(File.ReadAllLines(RepoPaths.Combine(".dockerignore")));

    public bool IsExcluded(string relativePath)
    {
        var path = relativePath.Replace('\\', '/').Trim('/');
        var candidates = new List<string>();
        var parts = path.Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            candidates.Add(string.Join('/', parts[..i]));
        }

        var excluded = false;
        foreach (var (pattern, include) in _rules)
        {
            if (candidates.Any(c => pattern.IsMatch(c)))
            {
                excluded = !include;
            }
        }
        return excluded;
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slash ? "(.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}

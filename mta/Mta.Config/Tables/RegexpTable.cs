using System.Text;
using System.Text.RegularExpressions;

namespace Mta.Config.Tables;

/// <summary>
/// regexp: and pcre: tables (dict_regexp.c, dict_pcre.c) on .NET's regex engine: "/pattern/flags result" rules,
/// "!/pattern/" negation, if/endif blocks, $1 ${1} $(1) and $$ in results; the first matching rule wins.
/// Matching is case-insensitive unless the "i" flag toggles it off, as in Postfix. POSIX bracket classes such as
/// [[:alpha:]] are translated; other POSIX/PCRE corner cases follow .NET semantics.
/// </summary>
public sealed class RegexpTable : ILookupTable
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);
    private readonly List<Rule> _rules = new();
    private readonly string _type;

    public RegexpTable(string type, string name, TableOpenOptions options)
    {
        _type = type.ToLowerInvariant();
        Reference = $"{type}:{name}";
        var stack = new Stack<List<Rule>>();
        var current = _rules;
        foreach (var line in PatternRuleSource.Read(type, name))
        {
            var where = $"{_type} map {name}, line {line.LineNumber}";
            var (first, rest) = PatternRuleSource.SplitFirstWord(line.Text);
            if (first.Equals("endif", StringComparison.OrdinalIgnoreCase) && rest.Length == 0)
            {
                if (stack.Count == 0)
                    options.Warning($"{where}: ignoring ENDIF without matching IF");
                else
                    current = stack.Pop();
                continue;
            }
            var text = line.Text;
            var isIf = first.Equals("if", StringComparison.OrdinalIgnoreCase);
            if (isIf)
                text = rest;
            if (!TryParsePattern(text, out var regex, out var negate, out var result, out var error))
            {
                options.Warning($"{where}: {error}");
                continue;
            }
            if (isIf)
            {
                if (result.Length > 0)
                    options.Warning($"{where}: ignoring extra text after IF statement: \"{result}\"");
                var block = new Rule(regex, negate, null, new List<Rule>());
                current.Add(block);
                stack.Push(current);
                current = block.Children!;
                continue;
            }
            if (result.Length == 0)
            {
                options.Warning($"{where}: no replacement text: using empty string");
            }
            if (!ValidateSubstitution(result, regex, negate, out error))
            {
                options.Warning($"{where}: {error}");
                continue;
            }
            current.Add(new Rule(regex, negate, result, null));
        }
        if (stack.Count > 0)
            options.Warning($"{_type} map {name}: more IFs than ENDIFs");
    }

    public string Reference { get; }
    public bool IsFixed => false;

    public ValueTask<string?> LookupAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            return ValueTask.FromResult(Match(_rules, key));
        }
        catch (RegexMatchTimeoutException e)
        {
            return ValueTask.FromException<string?>(new TableLookupException(Reference, "regular expression timed out", e));
        }
    }

    private static string? Match(List<Rule> rules, string key)
    {
        foreach (var rule in rules)
        {
            var match = rule.Regex.Match(key);
            if (match.Success == rule.Negate)
                continue;
            if (rule.Children is null)
                return rule.Negate ? rule.Result : Substitute(rule.Result!, match);
            var inner = Match(rule.Children, key);
            if (inner is not null)
                return inner;
        }
        return null;
    }

    private bool TryParsePattern(string text, out Regex regex, out bool negate, out string result, out string? error)
    {
        regex = null!;
        result = "";
        error = null;
        negate = false;
        var p = 0;
        if (p < text.Length && text[p] == '!')
        {
            negate = true;
            p++;
        }
        if (p >= text.Length || char.IsWhiteSpace(text[p]) || char.IsLetterOrDigit(text[p]))
        {
            error = "no regexp pattern";
            return false;
        }
        var delimiter = text[p++];
        var pattern = new StringBuilder();
        for (; p < text.Length && text[p] != delimiter; p++)
        {
            // A backslash before the delimiter quotes it; other escapes pass to the regex engine.
            if (text[p] == '\\' && p + 1 < text.Length && text[p + 1] == delimiter)
                p++;
            else if (text[p] == '\\' && p + 1 < text.Length)
                pattern.Append(text[p++]);
            pattern.Append(text[p]);
        }
        if (p >= text.Length)
        {
            error = $"unmatched \"{delimiter}\" in regexp pattern";
            return false;
        }
        p++;
        var options = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;
        for (; p < text.Length && !char.IsWhiteSpace(text[p]); p++)
        {
            switch (text[p])
            {
                case 'i': options ^= RegexOptions.IgnoreCase; break;
                case 'm': options ^= RegexOptions.Multiline; break;
                case 'x' when _type == "regexp": break; // REG_EXTENDED on/off: .NET is always "extended".
                case 'x': options ^= RegexOptions.IgnorePatternWhitespace; break;
                case 's' when _type == "pcre": options ^= RegexOptions.Singleline; break;
                case 'A' or 'E' or 'U' or 'X' when _type == "pcre": break; // anchoring/ungreedy tweaks: not mapped.
                default:
                    error = $"unknown regexp option \"{text[p]}\"";
                    return false;
            }
        }
        result = text[p..].Trim();
        try
        {
            regex = new Regex(_type == "regexp" ? TranslatePosixClasses(pattern.ToString()) : pattern.ToString(),
                options, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            error = $"regexp \"{pattern}\": {e.Message}";
            return false;
        }
        return true;
    }

    private static bool ValidateSubstitution(string result, Regex regex, bool negate, out string? error)
    {
        error = null;
        var groups = regex.GetGroupNumbers().Max();
        foreach (var (number, _, _) in SubstitutionRefs(result))
        {
            if (negate)
            {
                error = "$number found in negative match replacement text";
                return false;
            }
            if (number > groups)
            {
                error = $"out of range replacement index \"{number}\"";
                return false;
            }
        }
        return true;
    }

    private static string Substitute(string result, Match match)
    {
        if (!result.Contains('$'))
            return result;
        var sb = new StringBuilder();
        var last = 0;
        foreach (var (number, start, length) in SubstitutionRefs(result))
        {
            sb.Append(result, last, start - last);
            if (number >= 0)
                sb.Append(match.Groups[number].Value);
            else
                sb.Append('$');
            last = start + length;
        }
        sb.Append(result, last, result.Length - last);
        return sb.ToString();
    }

    // mac_parse(3) style: $n, ${n}, $(n); "$$" is a literal dollar (number -1).
    private static IEnumerable<(int Number, int Start, int Length)> SubstitutionRefs(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i + 1 >= text.Length)
                continue;
            var next = text[i + 1];
            if (next == '$')
            {
                yield return (-1, i, 2);
                i++;
                continue;
            }
            int end;
            string digits;
            if (next is '{' or '(')
            {
                var close = text.IndexOf(next == '{' ? '}' : ')', i + 2);
                if (close < 0) continue;
                digits = text[(i + 2)..close];
                end = close + 1;
            }
            else
            {
                end = i + 1;
                while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
                digits = text[(i + 1)..end];
            }
            if (digits.Length > 0 && digits.All(char.IsAsciiDigit))
            {
                yield return (int.Parse(digits), i, end - i);
                i = end - 1;
            }
        }
    }

    private static string TranslatePosixClasses(string pattern) => pattern
        .Replace("[:alpha:]", "a-zA-Z").Replace("[:digit:]", "0-9").Replace("[:alnum:]", "a-zA-Z0-9")
        .Replace("[:upper:]", "A-Z").Replace("[:lower:]", "a-z").Replace("[:space:]", @"\s")
        .Replace("[:blank:]", @" \t").Replace("[:xdigit:]", "0-9A-Fa-f").Replace("[:punct:]", @"!-/:-@\[-`{-~")
        .Replace("[:cntrl:]", @"\x00-\x1f\x7f").Replace("[:print:]", @"\x20-\x7e").Replace("[:graph:]", @"\x21-\x7e");

    private sealed record Rule(Regex Regex, bool Negate, string? Result, List<Rule>? Children);
}

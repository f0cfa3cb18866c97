using System.Text;

namespace Mta.Config.Expansion;

/// <summary>
/// Postfix's $name expansion (mac_parse + mac_expand): $name, ${name}, $(name), $$, ${name?text},
/// ${name:text}, ${name?{a}:{b}}, relational ${{a} OP {b} ? {x} : {y}} with ==, !=, &lt;, &lt;=, &gt;, &gt;=
/// (numeric when both sides are all digits) and the same operators suffixed "level" comparing
/// compatibility levels. Warnings carry Postfix's texts; the nesting limit is Postfix's (100 levels).
/// </summary>
public sealed class MacroExpander
{
    private const string Whitespace = " \t\r\n";
    private const string OperatorChars = "<>!=?+-*/~&|%";
    private const string AnyOperatorText = "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\"";
    private const int MaxLevel = 100;

    // Relational operands are expanded by a fresh expander whose level starts at 0, as in Postfix, so a
    // parameter that compares itself recurses without bound (Postfix's postconf crashes with SIGSEGV).
    // We stop at this total depth with the same nesting warning instead.
    private const int MaxTotalDepth = 400;

    [Flags]
    private enum Status { None = 0, Error = 1, Undefined = 2 }

    private readonly Func<string, string?> _lookup;
    private readonly bool _recursive;
    private readonly bool _scan;
    private readonly List<string> _warnings;
    private readonly List<string> _undefined;
    private readonly StringBuilder _result = new();
    private Status _status;
    private int _level;
    private int _outerDepth;

    private MacroExpander(Func<string, string?> lookup, bool recursive, bool scan, List<string> warnings, List<string> undefined)
    {
        _lookup = lookup;
        _recursive = recursive;
        _scan = scan;
        _warnings = warnings;
        _undefined = undefined;
    }

    /// <summary>
    /// Expands <paramref name="pattern"/>. <paramref name="lookup"/> returns a name's raw value or null when
    /// undefined. With <paramref name="recursive"/> (Postfix's default for parameters) looked-up values are
    /// expanded again.
    /// </summary>
    public static ExpansionResult Expand(string pattern, Func<string, string?> lookup, bool recursive = true)
    {
        var warnings = new List<string>();
        var undefined = new List<string>();
        var (text, status) = ExpandInto(pattern, lookup, recursive, scan: false, warnings, undefined);
        return new ExpansionResult(text, (status & Status.Error) != 0, warnings, undefined);
    }

    /// <summary>
    /// Names that <paramref name="pattern"/> references in any branch (Postfix's MAC_EXP_FLAG_SCAN: nothing is
    /// expanded or evaluated); postconf uses this to tell used from unused parameters.
    /// </summary>
    public static IReadOnlyList<string> ReferencedNames(string pattern)
    {
        var names = new List<string>();
        ExpandInto(pattern, name =>
        {
            if (!names.Contains(name))
                names.Add(name);
            return null;
        }, recursive: false, scan: true, [], []);
        return names;
    }

    private static (string Text, Status Status) ExpandInto(string pattern, Func<string, string?> lookup, bool recursive,
        bool scan, List<string> warnings, List<string> undefined, int outerDepth = 0)
    {
        var expander = new MacroExpander(lookup, recursive, scan, warnings, undefined) { _outerDepth = outerDepth };
        var status = expander.Parse(pattern);
        return (expander._result.ToString(), status);
    }

    // mac_parse: split into literal text and macro references, calling back for each.
    private Status Parse(string value)
    {
        var buf = new StringBuilder();
        var status = Status.None;
        int i = 0;
        while (i < value.Length)
        {
            if (value[i] != '$')
            {
                buf.Append(value[i++]);
                continue;
            }
            if (i + 1 < value.Length && value[i + 1] == '$')
            {
                buf.Append('$');
                i += 2;
                continue;
            }
            if (buf.Length > 0)
            {
                status |= Callback(isExpression: false, buf.ToString());
                buf.Clear();
            }
            i++;
            if (i < value.Length && (value[i] == '{' || value[i] == '('))
            {
                char open = value[i], close = open == '{' ? '}' : ')';
                int depth = 1, start = ++i, end = start;
                bool truncated = false;
                for (; depth > 0; end++)
                {
                    if (end == value.Length)
                    {
                        _warnings.Add($"truncated macro reference: \"{value}\"");
                        truncated = true;
                        break;
                    }
                    if (value[end] == open)
                        depth++;
                    if (value[end] == close)
                        depth--;
                }
                if (truncated)
                {
                    status |= Status.Error;
                    break;
                }
                buf.Append(value, start, end - start - 1);
                i = end;
            }
            else
            {
                int end = i;
                while (end < value.Length && IsNameChar(value[end]))
                    end++;
                buf.Append(value, i, end - i);
                i = end;
            }
            if (buf.Length == 0)
            {
                status |= Status.Error;
                _warnings.Add($"empty macro name: \"{value}\"");
                break;
            }
            status |= Callback(isExpression: true, buf.ToString());
            buf.Clear();
        }
        if (buf.Length > 0 && (status & Status.Error) == 0)
            status |= Callback(isExpression: false, buf.ToString());
        return status;
    }

    // mac_expand_callback: expand one reference or append one piece of literal text.
    private Status Callback(bool isExpression, string buf)
    {
        if (_level++ > MaxLevel || _outerDepth + _level > MaxTotalDepth)
            Fail($"unreasonable macro call nesting: \"{buf}\"");
        if ((_status & Status.Error) != 0)
            return _status;

        if (!isExpression)
        {
            if (!_scan)
                _result.Append(buf);
            _level--;
            return _status;
        }

        int cp = 0;
        char ch;
        string? looked;
        if (FindLeftCurly(buf, ref cp))
        {
            if (!ParseRelational(buf, ref cp, out looked))
                return _status;
            ch = cp < buf.Length ? buf[cp] : '\0';
            if (ch != '\0')
            {
                if (ch != '?' && ch != ':')
                    return Fail($"\"?\" or \":\" expected at: \"...}}>>>{Clip(buf, cp)}\"");
                cp++;
            }
        }
        else
        {
            cp = SkipWhitespace(buf, 0);
            int start = cp;
            string name;
            for (; ; cp++)
            {
                int afterSpace = SkipWhitespace(buf, cp);
                ch = afterSpace < buf.Length ? buf[afterSpace] : '\0';
                if (ch == '\0')
                {
                    name = buf[start..cp];
                    break;
                }
                if (ch == '?' || ch == ':')
                {
                    name = buf[start..cp];
                    cp = afterSpace + 1;
                    break;
                }
                if (ch == '{')
                    return ParseFunction(buf, start, cp, afterSpace);
                if (!IsNameChar(buf[cp]))
                    return Fail($"attribute name syntax error at: \"...{buf[..cp]}>>>{Clip(buf, cp)}\"");
            }
            looked = _lookup(name);
            if (looked is null && !_undefined.Contains(name))
                _undefined.Add(name);
        }

        switch (ch)
        {
            case '?':
            case ':':
                if (ch == '?')
                {
                    string ifTrue;
                    if (FindLeftCurly(buf, ref cp))
                    {
                        if (ExtractCurlyPayload(buf, ref cp, strip: false) is not { } payload)
                            return _status;
                        ifTrue = payload;
                    }
                    else
                    {
                        ifTrue = buf[cp..];
                        cp = buf.Length;
                    }
                    if (!string.IsNullOrEmpty(looked) || _scan)
                        _status |= Parse(ifTrue);
                    if (cp == buf.Length)
                        break;
                    if (buf[cp] != ':')
                        return Fail($"\":\" expected at: \"...{ifTrue}}}>>>{Clip(buf, cp)}\"");
                    cp++;
                }
                string ifFalse;
                if (FindLeftCurly(buf, ref cp))
                {
                    if (ExtractCurlyPayload(buf, ref cp, strip: false) is not { } payload)
                        return _status;
                    ifFalse = payload;
                }
                else
                {
                    ifFalse = buf[cp..];
                    cp = buf.Length;
                }
                if (string.IsNullOrEmpty(looked) || _scan)
                    _status |= Parse(ifFalse);
                if (cp != buf.Length)
                    return Fail($"unexpected input at: \"...{ifFalse}}}>>>{Clip(buf, cp)}\"");
                break;
            default:
                if (looked is null)
                    _status |= Status.Undefined;
                else if (looked.Length == 0 || _scan)
                { }
                else if (_recursive)
                    _status |= Parse(looked);
                else
                    _result.Append(looked);
                break;
        }
        _level--;
        return _status;
    }

    // mac_exp_parse_relational: {left} OP[level] {right}; sets looked to "true" or "".
    private bool ParseRelational(string buf, ref int cp, out string? looked)
    {
        looked = null;
        if (ExtractCurlyPayload(buf, ref cp, strip: false) is not { } left)
            return false;
        int opStart = cp;
        while (cp < buf.Length && OperatorChars.Contains(buf[cp]))
            cp++;
        var op = buf[opStart..cp];
        if (op is not ("==" or "!=" or "<" or "<=" or ">=" or ">"))
        {
            Fail($"{AnyOperatorText} expected at: \"...{left}}}>>>{Clip(buf, opStart)}\"");
            return false;
        }
        bool compareLevels = false;
        if (cp < buf.Length && char.IsAsciiLetterOrDigit(buf[cp]))
        {
            int typeStart = cp;
            while (cp < buf.Length && char.IsAsciiLetterOrDigit(buf[cp]))
                cp++;
            var suffix = buf[typeStart..cp];
            if (suffix != "level")
            {
                Fail($"bad operator suffix at: \"...{op}>>>{suffix}\"");
                return false;
            }
            compareLevels = true;
        }
        if (!FindLeftCurly(buf, ref cp))
        {
            Fail($"\"{{expression}}\" expected at: \"...{{{left}}} {op}>>>{Clip(buf, cp)}\"");
            return false;
        }
        if (ExtractCurlyPayload(buf, ref cp, strip: false) is not { } right)
            return false;

        var depth = _outerDepth + _level;
        var (leftValue, leftStatus) = ExpandInto(left, _lookup, _recursive, _scan, _warnings, _undefined, depth);
        var (rightValue, rightStatus) = ExpandInto(right, _lookup, _recursive, _scan, _warnings, _undefined, depth);
        _status |= leftStatus | rightStatus;
        if ((_status & Status.Error) == 0 && !_scan)
        {
            bool? outcome = compareLevels
                ? RelationalOperators.CompareLevels(leftValue, op, rightValue, _warnings)
                : RelationalOperators.Compare(leftValue, op, rightValue);
            if (outcome is null)
                _status |= Status.Error;
            else
                looked = outcome.Value ? "true" : "";
        }
        return (_status & Status.Error) == 0;
    }

    private static string DomainToAscii(string domain)
    {
        try
        {
            return domain.Length == 0 ? domain : new System.Globalization.IdnMapping().GetAscii(domain);
        }
        catch (ArgumentException)
        {
            return domain;
        }
    }

    private static string DomainToUtf8(string domain)
    {
        try
        {
            return domain.Length == 0 ? domain : new System.Globalization.IdnMapping().GetUnicode(domain);
        }
        catch (ArgumentException)
        {
            return domain;
        }
    }

    // Named functions (${name{...}}): Postfix registers domain_to_ascii and domain_to_utf8; other names are errors.
    private Status ParseFunction(string buf, int nameStart, int nameEnd, int curly)
    {
        int cp = curly;
        if (ExtractCurlyPayload(buf, ref cp, strip: true) is not { } argument)
            return _status;
        if (cp != buf.Length)
            return Fail($"unexpected input at: \"...{argument}}}>>>{Clip(buf, cp)}\"");
        var name = buf[nameStart..nameEnd];
        if (name is not ("domain_to_ascii" or "domain_to_utf8"))
            return Fail($"unknown function \"{name}\" at\"...>>>{name}{{{argument}}}\"");
        // Postfix 3.10+ registers these for defaults such as smtp_requiretls_policy and proxy_read_maps.
        var (value, status) = ExpandInto(argument, _lookup, _recursive, _scan, _warnings, _undefined, _outerDepth + _level);
        _status |= status;
        if ((_status & Status.Error) == 0 && !_scan)
            _result.Append(name == "domain_to_ascii" ? DomainToAscii(value) : DomainToUtf8(value));
        return _status;
    }

    // mac_exp_extract_curly_payload: cp is at '{'; returns the balanced payload and skips white space after '}'.
    private string? ExtractCurlyPayload(string buf, ref int cp, bool strip)
    {
        int payloadStart = cp + 1;
        if (strip)
            payloadStart = SkipWhitespace(buf, payloadStart);
        int depth = 1, end = payloadStart;
        for (; ; end++)
        {
            if (end == buf.Length)
            {
                Fail($"unbalanced {{}} in attribute expression: \"{buf[cp..]}\"");
                return null;
            }
            if (buf[end] == '{')
                depth++;
            else if (buf[end] == '}' && --depth <= 0)
                break;
        }
        var payload = buf[payloadStart..end];
        if (strip)
            payload = payload.TrimEnd(' ', '\t', '\r', '\n', '\v', '\f');
        cp = SkipWhitespace(buf, end + 1);
        return payload;
    }

    private static bool FindLeftCurly(string buf, ref int cp)
    {
        int at = SkipWhitespace(buf, cp);
        if (at < buf.Length && buf[at] == '{')
        {
            cp = at;
            return true;
        }
        return false;
    }

    private Status Fail(string warning)
    {
        _warnings.Add(warning);
        _status |= Status.Error;
        return _status;
    }

    private static int SkipWhitespace(string s, int i)
    {
        while (i < s.Length && Whitespace.Contains(s[i]))
            i++;
        return i;
    }

    private static string Clip(string s, int from) => s.Length - from > 20 ? s.Substring(from, 20) : s[from..];

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}

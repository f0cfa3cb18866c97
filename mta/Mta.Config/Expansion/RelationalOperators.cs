namespace Mta.Config.Expansion;

/// <summary>
/// The relational operators of ${{a} OP {b}}: ==, !=, &lt;, &lt;=, &gt;=, &gt; compare as numbers when both sides
/// are all digits, else as byte strings (mac_exp_eval); with the "level" suffix they compare compatibility
/// levels (compat_relop_eval). A null result is Postfix's MAC_EXP_OP_RES_ERROR.
/// </summary>
internal static class RelationalOperators
{
    public static bool? Compare(string left, string op, string right)
    {
        long delta;
        if (AllDigits(left) && AllDigits(right))
            delta = ParseLong(left).CompareTo(ParseLong(right));
        else
            delta = string.CompareOrdinal(left, right);
        return Apply(op, delta);
    }

    public static bool? CompareLevels(string left, string op, string right, ICollection<string> warnings)
    {
        if (!CompatibilityLevel.TryParse(left, out var l))
        {
            warnings.Add($"malformed compatibility level syntax: \"{left}\"");
            return null;
        }
        if (!CompatibilityLevel.TryParse(right, out var r))
        {
            warnings.Add($"malformed compatibility level syntax: \"{right}\"");
            return null;
        }
        return Apply(op, l.CompareTo(r));
    }

    private static bool Apply(string op, long delta) => op switch
    {
        "==" => delta == 0,
        "!=" => delta != 0,
        "<" => delta < 0,
        "<=" => delta <= 0,
        ">=" => delta >= 0,
        _ => delta > 0,
    };

    private static long ParseLong(string digits) =>
        long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new ConfigException($"mac_exp_eval: bad conversion: {digits}");

    private static bool AllDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);
}

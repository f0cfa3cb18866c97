namespace Mta.Config;

/// <summary>
/// Converts an expanded parameter value to its type with Postfix's checks and fatal texts
/// (mail_conf_bool.c, mail_conf_int.c, mail_conf_long.c, mail_conf_time.c, conv_time.c).
/// As in Postfix, a bound of 0 means "no bound".
/// </summary>
public static class TypedValueParser
{
    public static bool ParseBool(string name, string value)
    {
        if (value.Equals("yes", StringComparison.OrdinalIgnoreCase))
            return true;
        if (value.Equals("no", StringComparison.OrdinalIgnoreCase))
            return false;
        throw new ConfigException($"bad boolean configuration: {name} = {value}");
    }

    public static int ParseInt(string name, string value, int min, int max)
    {
        if (!StrToL(value, out var number, out var end) || end != value.Length || number is < int.MinValue or > int.MaxValue)
            throw new ConfigException($"bad numerical configuration: {name} = {value}");
        int result = (int)number;
        if (min != 0 && result < min)
            throw new ConfigException($"invalid {name} parameter value {result} < {min}");
        if (max != 0 && result > max)
            throw new ConfigException($"invalid {name} parameter value {result} > {max}");
        return result;
    }

    public static long ParseLong(string name, string value, long min, long max)
    {
        if (!StrToL(value, out var result, out var end) || end != value.Length)
            throw new ConfigException($"bad numerical configuration: {name} = {value}");
        if (min != 0 && result < min)
            throw new ConfigException($"invalid {name} parameter value {result} < {min}");
        if (max != 0 && result > max)
            throw new ConfigException($"invalid {name} parameter value {result} > {max}");
        return result;
    }

    /// <summary>
    /// A time value: a number and an optional unit (s, m, h, d, w); <paramref name="defaultUnit"/> applies to a
    /// bare number. Like conv_time(), only the first character after the number is read as the unit.
    /// </summary>
    public static TimeSpan ParseTime(string name, string value, char defaultUnit, int minSeconds, int maxSeconds)
    {
        if (!TryConvertTime(value, defaultUnit, out var seconds))
            throw new ConfigException($"parameter {name}: bad time value or unit: {value}");
        if (minSeconds != 0 && seconds < minSeconds)
            throw new ConfigException($"invalid {name}: {seconds} (min {minSeconds})");
        if (maxSeconds != 0 && seconds > maxSeconds)
            throw new ConfigException($"invalid {name}: {seconds} (max {maxSeconds})");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>conv_time(): seconds, or false when the number or the unit is bad or the result overflows an int.</summary>
    public static bool TryConvertTime(string value, char defaultUnit, out int seconds)
    {
        seconds = 0;
        if (value.Length == 0)
            return false;
        // With no digits strtol yields 0 and stops at the start, so "s" is 0 seconds, as in Postfix.
        if (!StrToL(value, out var number, out var end) && end != 0)
            return false;
        if (number is < 0 or > int.MaxValue)
            return false;
        int n = (int)number;
        char unit = end < value.Length ? value[end] : defaultUnit;
        int multiplier = unit switch
        {
            'w' => 7 * 24 * 3600,
            'd' => 24 * 3600,
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => 0,
        };
        if (multiplier == 0)
            return false;
        if (multiplier > 1 && n >= int.MaxValue / multiplier)
            return false;
        seconds = n * multiplier;
        return true;
    }

    /// <summary>The unit Postfix takes from a time parameter's default text: its first letter.</summary>
    public static char? UnitOfDefault(string expandedDefault)
    {
        foreach (var c in expandedDefault)
            if (char.IsAsciiLetter(c))
                return c;
        return null;
    }

    /// <summary>
    /// C strtol(s, &amp;end, 10): leading white space, optional sign, digits. False when no digits were
    /// found or the value overflows a long (ERANGE); <paramref name="end"/> is where parsing stopped.
    /// </summary>
    internal static bool StrToL(string s, out long value, out int end)
    {
        value = 0;
        end = 0;
        int i = 0;
        while (i < s.Length && (s[i] is ' ' or '\t' or '\n' or '\r' or '\v' or '\f'))
            i++;
        bool negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            negative = s[i++] == '-';
        int digitsStart = i;
        decimal accumulator = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            accumulator = accumulator * 10 + (s[i] - '0');
            if (accumulator > (decimal)long.MaxValue + 1)
                accumulator = (decimal)long.MaxValue + 2; // saturate; overflow is reported below
            i++;
        }
        if (i == digitsStart)
            return false; // strtol leaves end at the start: callers see trailing garbage
        end = i;
        if (negative)
            accumulator = -accumulator;
        if (accumulator > long.MaxValue || accumulator < long.MinValue)
            return false; // ERANGE: end is past the digits

        value = (long)accumulator;
        return true;
    }
}

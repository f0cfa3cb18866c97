namespace Mta.Config;

/// <summary>
/// A Postfix compatibility level: major[.minor[.patch]] compared numerically per part, so 3.10 &gt; 3.9
/// (compat_level.c). Levels 0..2 have no minor part when printed; 3 and later always show major.minor.
/// </summary>
public readonly record struct CompatibilityLevel(int Major, int Minor = 0, int Patch = 0) : IComparable<CompatibilityLevel>
{
    private const int MaxPart = 0x3ff; // Postfix encodes minor and patch in 10 bits each.

    public static CompatibilityLevel Zero => new(0);

    public static bool TryParse(string text, out CompatibilityLevel level)
    {
        level = default;
        var parts = text.Split('.');
        if (parts.Length > 3)
            return false;
        var numbers = new int[3];
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0 || !parts[i].All(char.IsAsciiDigit)
                || !int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out numbers[i])
                || (i > 0 && numbers[i] > MaxPart))
                return false;
        }
        level = new CompatibilityLevel(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    /// <summary>Parses or throws Postfix's warning text as a <see cref="ConfigException"/>.</summary>
    public static CompatibilityLevel Parse(string text) =>
        TryParse(text, out var level) ? level : throw new ConfigException($"malformed compatibility level syntax: \"{text}\"");

    public int CompareTo(CompatibilityLevel other)
    {
        int c = Major.CompareTo(other.Major);
        if (c != 0)
            return c;
        c = Minor.CompareTo(other.Minor);
        return c != 0 ? c : Patch.CompareTo(other.Patch);
    }

    public static bool operator <(CompatibilityLevel a, CompatibilityLevel b) => a.CompareTo(b) < 0;
    public static bool operator >(CompatibilityLevel a, CompatibilityLevel b) => a.CompareTo(b) > 0;
    public static bool operator <=(CompatibilityLevel a, CompatibilityLevel b) => a.CompareTo(b) <= 0;
    public static bool operator >=(CompatibilityLevel a, CompatibilityLevel b) => a.CompareTo(b) >= 0;

    public override string ToString() =>
        Major <= 2 ? Major.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Patch != 0 ? $"{Major}.{Minor}.{Patch}"
        : $"{Major}.{Minor}";
}

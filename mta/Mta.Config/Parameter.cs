namespace Mta.Config;

/// <summary>
/// One main.cf parameter: its name and its default text, written once (Postfix's VAR_/DEF_ pair).
/// The default text is raw: it may reference other parameters ($name) and is expanded lazily.
/// The typed subclasses say how the expanded value is validated and converted.
/// </summary>
public abstract record Parameter(string Name, string DefaultText);

/// <summary>Free text (host names, banners, addresses).</summary>
public sealed record StringParameter(string Name, string DefaultText) : Parameter(Name, DefaultText);

/// <summary>yes/no only, case-insensitive (mail_conf_bool.c).</summary>
public sealed record BoolParameter(string Name, string DefaultText) : Parameter(Name, DefaultText);

/// <summary>A whole number within [Min, Max] (mail_conf_int.c).</summary>
public sealed record IntParameter(string Name, string DefaultText, int Min = 0, int Max = int.MaxValue)
    : Parameter(Name, DefaultText);

/// <summary>A byte count or other large number within [Min, Max] (mail_conf_long.c).</summary>
public sealed record LongParameter(string Name, string DefaultText, long Min = 0, long Max = long.MaxValue)
    : Parameter(Name, DefaultText);

/// <summary>A time: a number with an optional unit s, m, h, d or w; DefaultUnit applies to a bare number (mail_conf_time.c).</summary>
public sealed record TimeParameter(string Name, string DefaultText, char DefaultUnit = 's', int MinSeconds = 0, int MaxSeconds = int.MaxValue)
    : Parameter(Name, DefaultText);

/// <summary>A list split on commas and white space; entries may be /file/names or type:table references.</summary>
public sealed record ListParameter(string Name, string DefaultText) : Parameter(Name, DefaultText);

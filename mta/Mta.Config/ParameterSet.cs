using System.Collections.Concurrent;
using Mta.Config.Expansion;
using Mta.Config.Lists;
using Mta.Config.MainCf;

namespace Mta.Config;

/// <summary>
/// An evaluated configuration: built-in defaults, main.cf settings and overrides (master.cf -o, postconf -o,
/// runtime values such as stress), in increasing precedence. Values are kept raw and $-expanded lazily on
/// first use, after everything has been read, exactly as Postfix does. Immutable and thread-safe; expanded
/// and typed values are cached. Errors throw <see cref="ConfigException"/> with Postfix's fatal text.
/// </summary>
public sealed class ParameterSet
{
    /// <summary>The name of Postfix's configuration dictionary, which appears in its expansion errors.</summary>
    public const string DictionaryName = "mail_dict";

    private readonly IReadOnlyDictionary<string, Parameter> _defaults;
    private readonly IReadOnlyDictionary<string, string> _overrides;
    private readonly ConcurrentDictionary<string, string> _expanded = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, object> _typed = new(StringComparer.Ordinal);

    public ParameterSet(IEnumerable<Parameter> defaults, MainCfFile? mainCf = null,
        IEnumerable<KeyValuePair<string, string>>? overrides = null)
        : this(ToDictionary(defaults), mainCf ?? MainCfFile.Empty("main.cf"), ToOverrides(overrides, null))
    {
    }

    private ParameterSet(IReadOnlyDictionary<string, Parameter> defaults, MainCfFile mainCf,
        IReadOnlyDictionary<string, string> overrides)
    {
        _defaults = defaults;
        MainCf = mainCf;
        _overrides = overrides;
    }

    /// <summary>The main.cf this set was built from (for postconf -n and file/line messages).</summary>
    public MainCfFile MainCf { get; }

    /// <summary>Every known parameter descriptor by name.</summary>
    public IReadOnlyDictionary<string, Parameter> Defaults => _defaults;

    /// <summary>Overrides in effect (name to raw value).</summary>
    public IReadOnlyDictionary<string, string> Overrides => _overrides;

    /// <summary>A new set with these overrides added on top (later values win).</summary>
    public ParameterSet WithOverrides(IEnumerable<KeyValuePair<string, string>> overrides) =>
        new(_defaults, MainCf, ToOverrides(overrides, _overrides));

    /// <summary>A new set with one more override (e.g. stress=yes).</summary>
    public ParameterSet WithOverride(string name, string value) => WithOverrides([new(name, value)]);

    /// <summary>A new set with more parameter descriptors (e.g. per-service parameters derived from master.cf).</summary>
    public ParameterSet WithDefaults(IEnumerable<Parameter> more)
    {
        var merged = new Dictionary<string, Parameter>(_defaults, StringComparer.Ordinal);
        foreach (var p in more)
            merged[p.Name] = p;
        return new ParameterSet(merged, MainCf, _overrides);
    }

    /// <summary>True when main.cf or an override sets the name.</summary>
    public bool IsSet(string name) => _overrides.ContainsKey(name) || MainCf.Contains(name);

    /// <summary>True when the name has a built-in default (is in the catalogue).</summary>
    public bool IsKnown(string name) => _defaults.ContainsKey(name);

    /// <summary>True when the name has any value (set or known).</summary>
    public bool IsDefined(string name) => GetRaw(name) is not null;

    /// <summary>The raw text: override, else main.cf, else the default text; null when undefined.</summary>
    public string? GetRaw(string name) =>
        _overrides.TryGetValue(name, out var o) ? o
        : MainCf.GetValue(name) ?? (_defaults.TryGetValue(name, out var p) ? p.DefaultText : null);

    /// <summary>The built-in default text, or null for an unknown name.</summary>
    public string? GetDefaultText(string name) => _defaults.TryGetValue(name, out var p) ? p.DefaultText : null;

    /// <summary>The expanded value; undefined names give "" (Postfix's lookup of an unknown name is empty).</summary>
    public string Expand(string name) =>
        _expanded.TryGetValue(name, out var cached) ? cached : _expanded.GetOrAdd(name, n => ExpandText(GetRaw(n) ?? ""));

    /// <summary>Expands arbitrary text against this set; throws Postfix's "macro processing error" on bad syntax.</summary>
    public string ExpandText(string raw)
    {
        var result = ExpandDetailed(raw);
        if (result.IsError)
            throw new ConfigException($"dictionary {DictionaryName}: macro processing error", result.Warnings);
        return result.Text;
    }

    /// <summary>Expands text and reports warnings and undefined names instead of throwing (for postconf -x).</summary>
    public ExpansionResult ExpandDetailed(string raw) => MacroExpander.Expand(raw, GetRaw);

    /// <summary>compatibility_level, parsed (fatal "malformed compatibility level syntax" when bad).</summary>
    public CompatibilityLevel CompatibilityLevel
    {
        get
        {
            var text = Expand("compatibility_level");
            return text.Length == 0 ? CompatibilityLevel.Zero : CompatibilityLevel.Parse(text);
        }
    }

    public string Get(StringParameter p) => ExpandOrDefault(p);

    public bool Get(BoolParameter p) =>
        Typed(p, () => TypedValueParser.ParseBool(p.Name, ExpandOrDefault(p)));

    public int Get(IntParameter p) =>
        Typed(p, () => TypedValueParser.ParseInt(p.Name, ExpandOrDefault(p), p.Min, p.Max));

    public long Get(LongParameter p) =>
        Typed(p, () => TypedValueParser.ParseLong(p.Name, ExpandOrDefault(p), p.Min, p.Max));

    /// <summary>
    /// A time value. A bare number takes the unit of the default text's first letter, as Postfix's
    /// get_mail_conf_time() does, or <see cref="TimeParameter.DefaultUnit"/> when the default has none.
    /// </summary>
    public TimeSpan Get(TimeParameter p) => Typed(p, () =>
    {
        var unit = TypedValueParser.UnitOfDefault(ExpandText(p.DefaultText)) ?? p.DefaultUnit;
        return TypedValueParser.ParseTime(p.Name, ExpandOrDefault(p), unit, p.MinSeconds, p.MaxSeconds);
    });

    /// <summary>The list split on commas and white space, { } groups kept whole.</summary>
    public IReadOnlyList<string> Get(ListParameter p) => Typed(p, () => ConfigList.Split(ExpandOrDefault(p)));

    /// <summary>Whether parent_domain_matches_subdomains lists <paramref name="parameterName"/> ("example.com" then also matches its subdomains).</summary>
    public bool ParentDomainMatchesSubdomains(string parameterName) =>
        ConfigList.Split(Get(ParameterCatalogue.ParentDomainMatchesSubdomains)).Contains(parameterName, StringComparer.OrdinalIgnoreCase);

    /// <summary>The list as a match list: '!' negation and /file/name contents inlined (read now, not cached).</summary>
    public IReadOnlyList<MatchListItem> GetMatchList(ListParameter p, Func<string, string>? readFile = null) =>
        MatchListParser.Parse(ExpandOrDefault(p), p.Name, readFile);

    private string ExpandOrDefault(Parameter p) =>
        IsDefined(p.Name) ? Expand(p.Name) : ExpandText(p.DefaultText);

    private T Typed<T>(Parameter p, Func<T> convert) where T : notnull
    {
        var key = p.GetType().Name + ":" + p.Name;
        if (_typed.TryGetValue(key, out var cached))
            return (T)cached;
        var value = convert();
        return (T)_typed.GetOrAdd(key, value);
    }

    private static IReadOnlyDictionary<string, Parameter> ToDictionary(IEnumerable<Parameter> defaults)
    {
        var map = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        foreach (var p in defaults)
            map[p.Name] = p;
        return map;
    }

    private static IReadOnlyDictionary<string, string> ToOverrides(IEnumerable<KeyValuePair<string, string>>? more,
        IReadOnlyDictionary<string, string>? existing)
    {
        var map = existing is null ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(existing, StringComparer.Ordinal);
        foreach (var (name, value) in more ?? [])
            map[name] = value;
        return map;
    }
}

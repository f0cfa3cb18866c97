using Mta.Config;
using Mta.Config.Expansion;

namespace Mta.Commands.Postconf;

/// <summary>
/// postconf's view of the parameter name space (postconf_builtin.c, postconf_service.c, postconf_user.c,
/// postconf_lookup.c): built-in parameters from the catalogue, service-defined parameters from master.cf,
/// and user-defined parameters (a main.cf/master.cf name=value that some $name references). It answers
/// "what value does postconf show for this name in this mode" and reports undefined and unused names
/// with Postfix's warning texts.
/// </summary>
internal sealed class PostconfParameters
{
    private readonly Dictionary<string, Parameter> _builtins = new(StringComparer.Ordinal);
    private readonly HashSet<string> _userDefined = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _explicit;
    private readonly IReadOnlyList<PostconfService> _services;
    private readonly string _configDirectory;
    private readonly TextWriter _err;
    private readonly Dictionary<string, string> _hostDefaults = new(StringComparer.Ordinal);

    /// <param name="explicitSettings">main.cf settings plus -o overrides (Postfix's CONFIG_DICT), empty for -d.</param>
    public PostconfParameters(IReadOnlyDictionary<string, string> explicitSettings, IReadOnlyList<PostconfService> services,
        string configDirectory, TextWriter err)
    {
        _explicit = new Dictionary<string, string>(explicitSettings, StringComparer.Ordinal);
        _services = services;
        _configDirectory = configDirectory;
        _err = err;
        foreach (var p in ParameterCatalogue.All)
            _builtins[p.Name] = p;
        foreach (var service in services)
            foreach (var p in ParameterCatalogue.ServiceParameters(service.Name, service.Program))
                _builtins.TryAdd(p.Name, p);
    }

    public bool IsKnown(string name) =>
        _builtins.ContainsKey(name) || _userDefined.Contains(name) || ParameterCatalogue.LegacyNames.Contains(name);

    /// <summary>
    /// Every name postconf lists, sorted as it prints them (strcmp order): built-in, service-defined and
    /// user-defined; a legacy name only once main.cf sets it.
    /// </summary>
    public IEnumerable<string> KnownNames => _builtins.Keys.Concat(_userDefined)
        .Concat(ParameterCatalogue.LegacyNames.Where(_explicit.ContainsKey))
        .Distinct().OrderBy(n => n, StringComparer.Ordinal);

    public static bool IsRaw(string name) => ParameterCatalogue.IsRaw(name);

    /// <summary>pcf_lookup_parameter_value(): the raw value shown in this mode, or null when nothing is shown.</summary>
    public string? Lookup(string name, bool defaultsOnly, bool nonDefaultOnly)
    {
        if (!defaultsOnly && _explicit.TryGetValue(name, out var value))
            return value;
        if (nonDefaultOnly && !defaultsOnly)
            return null;
        if (ParameterCatalogue.LegacyNames.Contains(name))
            return "";
        return _builtins.ContainsKey(name) ? DefaultText(name, defaultsOnly) : null;
    }

    /// <summary>$-expands a value the way postconf -x does; throws <see cref="PostconfFatal"/> on a syntax error.</summary>
    public string Expand(string value, bool defaultsOnly, PostconfService? scope = null)
    {
        var result = MacroExpander.Expand(value, n => scope?.Lookup(n) ?? Lookup(n, defaultsOnly, nonDefaultOnly: false));
        if (result.IsError)
        {
            foreach (var warning in result.Warnings)
                _err.WriteLine($"postconf: warning: {warning}");
            throw new PostconfFatal("macro processing error");
        }
        return result.Text;
    }

    private string DefaultText(string name, bool defaultsOnly)
    {
        if (!ParameterCatalogue.IsHostDerived(name))
            return _builtins[name].DefaultText;
        var key = name + (defaultsOnly ? "/d" : "");
        if (_hostDefaults.TryGetValue(key, out var cached))
            return cached;
        string EvaluatedSetting(string n) =>
            !defaultsOnly && _explicit.TryGetValue(n, out var v) ? Expand(v, false) : Expand(DefaultText(n, defaultsOnly), defaultsOnly);
        var computed = name switch
        {
            "myhostname" => HostDefaults.MyHostname(!defaultsOnly && _explicit.TryGetValue("mydomain", out var d) ? Expand(d, false) : null),
            "mydomain" => HostDefaults.MyDomain(EvaluatedSetting("myhostname")),
            "mynetworks" => MyNetworks(EvaluatedSetting("mynetworks_style")),
            "process_id" => HostDefaults.ProcessId(),
            _ => "postconf",
        };
        return _hostDefaults[key] = computed;
    }

    private static string MyNetworks(string style)
    {
        try
        {
            return HostDefaults.MyNetworks(style);
        }
        catch (ArgumentException)
        {
            throw new PostconfFatal($"bad mynetworks_style value: {style}; specify exactly one value");
        }
    }

    /// <summary>
    /// pcf_register_user_parameters(): scan master.cf -o values, then defaults left in effect, then main.cf
    /// values, for $name references; a referenced name with a name=value becomes a known user-defined
    /// parameter, a referenced name nobody defines draws "undefined parameter".
    /// </summary>
    public void RegisterUserParameters()
    {
        foreach (var service in _services)
            foreach (var (name, value) in service.Overrides)
                if (!(_builtins.ContainsKey(name) && IsRaw(name)))
                    Scan(value, service);
        foreach (var (name, p) in _builtins.ToArray())
            if (!IsRaw(name) && !_explicit.ContainsKey(name))
                Scan(DefaultText(name, defaultsOnly: true), null);
        if (_explicit.TryGetValue("smtpd_restriction_classes", out var classes))
            foreach (var cls in Expand(classes, false).Split([',', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
                Flag(cls, null);
        foreach (var (name, value) in _explicit.ToArray())
        {
            if (name is "process_id" or "process_name")
            {
                _err.WriteLine($"postconf: warning: {_configDirectory}/main.cf: read-only parameter assignment: {name}={value}");
                _explicit.Remove(name);
                continue;
            }
            if (!(_builtins.ContainsKey(name) && IsRaw(name)))
                Scan(value, null);
        }
    }

    private void Scan(string value, PostconfService? scope)
    {
        if (!value.Contains('$'))
            return;
        foreach (var name in MacroExpander.ReferencedNames(value))
            Flag(name, scope);
    }

    private void Flag(string name, PostconfService? scope)
    {
        var supplied = false;
        if (scope is not null && scope.Defines(name))
        {
            supplied = true;
            scope.ValidNames.Add(name);
        }
        else if (_explicit.ContainsKey(name))
        {
            supplied = true;
            if (!_builtins.ContainsKey(name))
                _userDefined.Add(name);
        }
        if (scope is null)
        {
            foreach (var service in _services)
            {
                if (service.Defines(name))
                {
                    supplied = true;
                    service.ValidNames.Add(name);
                }
            }
        }
        if (!supplied && !IsKnown(name))
            _err.WriteLine($"postconf: warning: {_configDirectory}/{(scope is null ? "main.cf" : "master.cf")}: undefined parameter: {name}");
    }

    /// <summary>pcf_flag_unused_main_parameters() and ..._master_parameters(): warnings sorted by name.</summary>
    public void WarnUnused(bool mainToo)
    {
        IEnumerable<KeyValuePair<string, string>> unusedMain = mainToo
            ? _explicit.Where(e => !IsKnown(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal) : [];
        foreach (var (name, value) in unusedMain)
            _err.WriteLine($"postconf: warning: {_configDirectory}/main.cf: unused parameter: {name}={value}");
        foreach (var service in _services)
        {
            var unused = service.Overrides.Where(o => !IsKnown(o.Key) && !service.ValidNames.Contains(o.Key))
                .GroupBy(o => o.Key).Select(g => g.Last()).OrderBy(o => o.Key, StringComparer.Ordinal);
            foreach (var (name, value) in unused)
                _err.WriteLine($"postconf: warning: {_configDirectory}/master.cf: unused parameter: {name}={value}");
        }
    }
}

/// <summary>What postconf needs of one master.cf service: its name, program and -o overrides.</summary>
internal sealed record PostconfService(string Name, string Program, IReadOnlyList<KeyValuePair<string, string>> Overrides)
{
    public HashSet<string> ValidNames { get; } = new(StringComparer.Ordinal);

    public bool Defines(string name) => Overrides.Any(o => o.Key == name);

    /// <summary>
    /// A name as seen inside this service: its read-only process_name and service_name, then its own -o value
    /// (the last one wins), or null.
    /// </summary>
    public string? Lookup(string name) => name switch
    {
        "process_name" => Program[(Program.LastIndexOf('/') + 1)..],
        "service_name" => Name,
        _ => Overrides.LastOrDefault(o => o.Key == name).Value,
    };
}

using Mta.Config.MainCf;

namespace Mta.Config.MasterCf;

/// <summary>
/// Reads the -o name=value overrides from a service's daemon arguments the way a Postfix daemon's getopt
/// loop does ("cdDi:lm:n:o:r:s:St:uvVz": i, m, n, o, r, s, t take a value, attached or as the next argument).
/// Postfix's GETOPT() asks for "+" (no argument permutation), so options end at the first non-option:
/// a pipe(8) "argv=... -o x=y" is the command's argument, not an override.
/// </summary>
public static class DaemonOptions
{
    private const string OptionsWithValue = "imnorst";

    /// <param name="strict">Throw Postfix's daemon fatal for a malformed -o value instead of skipping it.</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Overrides(IReadOnlyList<string> arguments, bool strict)
    {
        var overrides = new List<KeyValuePair<string, string>>();
        for (int i = 0; i < arguments.Count; i++)
        {
            var arg = arguments[i];
            if (arg == "--" || arg.Length < 2 || arg[0] != '-')
                break;
            for (int cp = 1; cp < arg.Length; cp++)
            {
                if (!OptionsWithValue.Contains(arg[cp]))
                    continue;
                string? value = cp + 1 < arg.Length ? arg[(cp + 1)..] : i + 1 < arguments.Count ? arguments[++i] : null;
                if (arg[cp] == 'o' && value is not null)
                {
                    var error = NameValueSplitter.TrySplit(value, out var name, out var setting);
                    if (error is null)
                        overrides.Add(new(name, setting));
                    else if (strict)
                        throw new ConfigException($"invalid \"-o {value}\" option value: {error}");
                }
                break;
            }
        }
        return overrides;
    }
}

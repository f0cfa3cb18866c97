using Mta.Config.MainCf;

namespace Mta.Config.MasterCf;

/// <summary>
/// Brings daemon arguments into the canonical form postconf prints (pcf_normalize_daemon_args):
/// "-oname=value" becomes "-o" "name=value", "-o { name = value }" becomes "-o" "name=value", and other
/// { } arguments are unwrapped. Like Postfix, an option cluster is split at its first 'o' after the
/// first letter ("-vo" "x" stays, "-vox=y" becomes "-v" "-ox=y").
/// </summary>
public static class PostconfArgumentNormalizer
{
    private const string OptionsExpectingValue = "o";

    public static IReadOnlyList<string> Normalize(IReadOnlyList<string> arguments, ICollection<string>? warnings = null)
    {
        var args = new List<string>(arguments);
        int field = 0;
        for (; field < args.Count; field++)
        {
            var arg = args[field];
            if (arg.Length == 0 || arg[0] != '-' || arg == "--")
                break;
            for (int cp = 2; cp < arg.Length; cp++)
            {
                if (OptionsExpectingValue.Contains(arg[cp]))
                {
                    args.Insert(field + 1, "-" + arg[cp..]);
                    arg = args[field] = arg[..cp];
                    break;
                }
            }
            if (arg.Length < 2 || !OptionsExpectingValue.Contains(arg[1]))
                continue;
            bool extract;
            if (arg.Length > 2)
            {
                args.Insert(field + 1, arg[2..]);
                args[field] = arg[..2];
                field += 1;
                extract = args[field].StartsWith('{');
            }
            else if (field + 1 < args.Count)
            {
                field += 1;
                extract = args[field].StartsWith('{');
            }
            else
                extract = false;
            if (extract)
            {
                args[field] = Unwrap(args[field], warnings);
                if (args[field - 1][1] == 'o')
                {
                    var error = NameValueSplitter.TrySplit(args[field], out var name, out var value);
                    if (error is null)
                        args[field] = name + "=" + value;
                    else
                        warnings?.Add($"master.cf: {error}: \"{args[field]}\"");
                }
            }
        }
        for (; field < args.Count; field++)
            if (args[field].StartsWith('{'))
                args[field] = Unwrap(args[field], warnings);
        return args;
    }

    private static string Unwrap(string token, ICollection<string>? warnings)
    {
        var error = BraceText.Extract(token, out var payload);
        if (error is not null)
            warnings?.Add($"master.cf: {error}");
        return payload;
    }
}

namespace Mta.Commands.Postconf;

/// <summary>postconf's mode bits (postconf.h PCF_*); the order of <see cref="Names"/> is the order Postfix lists them in.</summary>
[Flags]
internal enum PostconfMode
{
    None = 0,
    ShowDefaults = 1 << 0,      // -d
    EditConf = 1 << 1,          // -e
    Fold = 1 << 2,              // -f
    MasterField = 1 << 3,       // -F
    HideName = 1 << 4,          // -h
    HideValue = 1 << 5,         // -H
    MasterEntry = 1 << 6,       // -M
    ShowNonDefault = 1 << 7,    // -n
    MainOverride = 1 << 8,      // -o
    MainParam = 1 << 9,         // -p
    MasterParam = 1 << 10,      // -P
    ShowEval = 1 << 11,         // -x
    EditExclude = 1 << 12,      // -X
    CommentOut = 1 << 13,       // -#
    MasterParamPP = 1 << 14,    // -PP
    WarnUnused = 1 << 15,       // on unless -q
}

/// <summary>
/// postconf's command line, parsed with getopt(3) rules ("-xh", "-cDIR", "-c DIR", "--" ends options) and
/// checked with Postfix's exclusive/compatible option tables, whose fatal texts it reproduces.
/// </summary>
internal sealed class PostconfOptions
{
    public const string Usage =
        "usage: postconf [-a (server SASL types)] [-A (client SASL types)] [-b (bounce templates)] [-c config_dir] " +
        "[-c param_class] [-d (parameter defaults)] [-e (edit configuration)] [-f (fold lines)] [-F (master.cf fields)] " +
        "[-h (no names)] [-H (no values)] [-l (lock types)] [-m (map types)] [-M (master.cf)] " +
        "[-n (non-default parameters)] [-o name=value (override parameter value)] [-p (main.cf, default)] " +
        "[-P (master.cf parameters)] [-t (bounce templates)] [-T compile-version|run-version|public-key-algorithms] " +
        "[-v (verbose)] [-x (expand parameter values)] [-X (exclude)] [-# (comment-out)] [name...]";

    private static readonly (string Name, PostconfMode Mode)[] Names =
    [
        ("-d", PostconfMode.ShowDefaults), ("-e", PostconfMode.EditConf), ("-f", PostconfMode.Fold),
        ("-F", PostconfMode.MasterField), ("-h", PostconfMode.HideName), ("-H", PostconfMode.HideValue),
        ("-M", PostconfMode.MasterEntry), ("-n", PostconfMode.ShowNonDefault), ("-o", PostconfMode.MainOverride),
        ("-p", PostconfMode.MainParam), ("-P", PostconfMode.MasterParam), ("-x", PostconfMode.ShowEval),
        ("-X", PostconfMode.EditExclude), ("-#", PostconfMode.CommentOut), ("-PP", PostconfMode.MasterParamPP),
    ];

    private const PostconfMode MajorModes =
        PostconfMode.MainParam | PostconfMode.MasterEntry | PostconfMode.MasterField | PostconfMode.MasterParam;

    private static readonly PostconfMode[] Incompatible =
    [
        MajorModes,
        PostconfMode.MasterParamPP | PostconfMode.EditConf | PostconfMode.CommentOut | PostconfMode.EditExclude,
        PostconfMode.ShowDefaults | PostconfMode.EditConf | PostconfMode.ShowNonDefault | PostconfMode.CommentOut | PostconfMode.EditExclude,
        PostconfMode.Fold | PostconfMode.EditConf | PostconfMode.CommentOut | PostconfMode.EditExclude,
        PostconfMode.ShowEval | PostconfMode.EditConf | PostconfMode.CommentOut | PostconfMode.EditExclude,
        PostconfMode.MainOverride | PostconfMode.ShowDefaults | PostconfMode.EditConf | PostconfMode.CommentOut | PostconfMode.EditExclude,
        PostconfMode.HideName | PostconfMode.EditConf | PostconfMode.CommentOut | PostconfMode.EditExclude | PostconfMode.HideValue,
    ];

    private static readonly (PostconfMode Mode, PostconfMode Allowed)[] Compatible =
    [
        (PostconfMode.MainParam, PostconfMode.EditConf | PostconfMode.EditExclude | PostconfMode.CommentOut | PostconfMode.Fold
            | PostconfMode.HideName | PostconfMode.ShowEval | PostconfMode.ShowDefaults | PostconfMode.ShowNonDefault
            | PostconfMode.MainOverride | PostconfMode.HideValue),
        (PostconfMode.MasterEntry, PostconfMode.EditConf | PostconfMode.EditExclude | PostconfMode.CommentOut | PostconfMode.Fold
            | PostconfMode.MainOverride | PostconfMode.ShowEval),
        (PostconfMode.MasterField, PostconfMode.EditConf | PostconfMode.Fold | PostconfMode.HideName | PostconfMode.MainOverride
            | PostconfMode.ShowEval | PostconfMode.HideValue),
        (PostconfMode.MasterParam, PostconfMode.EditConf | PostconfMode.EditExclude | PostconfMode.Fold | PostconfMode.HideName
            | PostconfMode.MainOverride | PostconfMode.ShowEval | PostconfMode.HideValue | PostconfMode.MasterParamPP),
        (PostconfMode.MasterParamPP, PostconfMode.Fold | PostconfMode.HideName | PostconfMode.MainOverride | PostconfMode.ShowEval
            | PostconfMode.HideValue | PostconfMode.MasterParam),
    ];

    public PostconfMode Mode { get; private set; } = PostconfMode.WarnUnused;
    public string? ConfigDirectory { get; private set; }
    public List<string> Overrides { get; } = [];
    public List<string> Arguments { get; } = [];

    public bool Has(PostconfMode mode) => (Mode & mode) != 0;

    /// <summary>Parses argv; throws <see cref="PostconfFatal"/> with Postfix's text on a usage error.</summary>
    public static PostconfOptions Parse(IReadOnlyList<string> args, TextWriter err)
    {
        var options = new PostconfOptions();
        var i = 0;
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--") { i++; break; }
            if (arg.Length < 2 || arg[0] != '-') break;
            for (var j = 1; j < arg.Length; j++)
            {
                var ch = arg[j];
                if (ch is 'c' or 'o' or 'C' or 'T')
                {
                    string value;
                    if (j + 1 < arg.Length) value = arg[(j + 1)..];
                    else if (i + 1 < args.Count) value = args[++i];
                    else
                    {
                        err.WriteLine($"postconf: option requires an argument -- '{ch}'");
                        throw new PostconfFatal(Usage);
                    }
                    options.TakeValue(ch, value);
                    break;
                }
                options.TakeFlag(ch, err);
            }
        }
        options.Arguments.AddRange(args.Skip(i));
        options.Finish();
        return options;
    }

    private void TakeValue(char option, string value)
    {
        switch (option)
        {
            case 'c': ConfigDirectory = value; break;
            case 'o': Mode |= PostconfMode.MainOverride; Overrides.Add(value); break;
            default: throw new PostconfFatal($"-{option}: not supported by mta");
        }
    }

    private void TakeFlag(char ch, TextWriter err)
    {
        Mode |= ch switch
        {
            'd' => PostconfMode.ShowDefaults, 'e' => PostconfMode.EditConf, 'f' => PostconfMode.Fold,
            'F' => PostconfMode.MasterField, '#' => PostconfMode.CommentOut, 'h' => PostconfMode.HideName,
            'H' => PostconfMode.HideValue, 'M' => PostconfMode.MasterEntry, 'n' => PostconfMode.ShowNonDefault,
            'p' => PostconfMode.MainParam, 'x' => PostconfMode.ShowEval, 'X' => PostconfMode.EditExclude,
            'P' => Has(PostconfMode.MasterParam) ? PostconfMode.MasterParamPP : PostconfMode.MasterParam,
            'v' => PostconfMode.None,
            'q' => PostconfMode.None,
            'a' or 'A' or 'b' or 'j' or 'l' or 'm' or 't' => throw new PostconfFatal($"-{ch}: not supported by mta"),
            _ => Invalid(ch, err),
        };
        if (ch == 'q')
            Mode &= ~PostconfMode.WarnUnused;
    }

    private static PostconfMode Invalid(char ch, TextWriter err)
    {
        err.WriteLine($"postconf: invalid option -- '{ch}'");
        throw new PostconfFatal(Usage);
    }

    // Postfix's defaulting, implied -e, and the two option-table checks, in its order.
    private void Finish()
    {
        if ((Mode & Incompatible[0]) == 0)
            Mode |= PostconfMode.MainParam;
        if ((Mode & MajorModes) != 0 && Arguments.Count > 0 && Arguments[0].Contains('='))
            Mode |= PostconfMode.EditConf;
        foreach (var group in Incompatible)
        {
            var set = Mode & group;
            if (set != 0 && (set & (set - 1)) != 0)
                throw new PostconfFatal("specify one of " + Describe(set, " "));
        }
        var given = Mode & ~PostconfMode.WarnUnused;
        foreach (var (mode, allowed) in Compatible)
        {
            var excess = given & ~(mode | allowed);
            if ((given & mode) != 0 && excess != 0)
                throw new PostconfFatal($"with option {Describe(mode, " ")}, do not specify {Describe(excess, " ")}");
        }
        if (Has(PostconfMode.EditConf) && Arguments.Count == 0)
            throw new PostconfFatal("-e requires name=value argument");
    }

    private static string Describe(PostconfMode set, string separator) =>
        string.Join(separator, Names.Where(n => (set & n.Mode) != 0).Select(n => n.Name));
}

/// <summary>A postconf fatal error: printed as "postconf: fatal: MESSAGE", exit status 1.</summary>
internal sealed class PostconfFatal(string message) : Exception(message);

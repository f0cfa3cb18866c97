namespace Mta.Commands.Queue;

/// <summary>
/// POSIX getopt(3) as Postfix calls it (GETOPT with a leading "+"): options end at the first operand or "--",
/// flags may be clustered ("-sv"), an option's value may be attached ("-dID") or the next argument.
/// </summary>
internal sealed class Getopt(IReadOnlyList<string> args, string spec)
{
    private int _index;
    private int _cluster = 1;

    /// <summary>The index of the first operand once <see cref="Next"/> returned false.</summary>
    public int OperandIndex => _index;

    public IReadOnlyList<string> Operands => args.Skip(_index).ToArray();

    /// <summary>
    /// The next option: true with the option letter and its value (null for a flag). Returns false at the end of
    /// the options. Throws <see cref="ArgumentException"/> with glibc's text for an unknown option or a missing value.
    /// </summary>
    public bool Next(out char option, out string? value)
    {
        option = '\0';
        value = null;
        if (_index >= args.Count)
            return false;
        var arg = args[_index];
        if (_cluster == 1)
        {
            if (arg == "--")
            {
                _index++;
                return false;
            }
            if (arg.Length < 2 || arg[0] != '-')
                return false;
        }
        option = arg[_cluster];
        var at = spec.IndexOf(option);
        if (at < 0 || option == ':')
        {
            Advance(arg);
            throw new ArgumentException($"invalid option -- '{option}'");
        }
        if (at + 1 < spec.Length && spec[at + 1] == ':')
        {
            if (_cluster + 1 < arg.Length)
                value = arg[(_cluster + 1)..];
            else if (_index + 1 < args.Count)
                value = args[++_index];
            else
            {
                _index++;
                _cluster = 1;
                throw new ArgumentException($"option requires an argument -- '{option}'");
            }
            _index++;
            _cluster = 1;
            return true;
        }
        Advance(arg);
        return true;
    }

    private void Advance(string arg)
    {
        if (++_cluster >= arg.Length)
        {
            _index++;
            _cluster = 1;
        }
    }
}

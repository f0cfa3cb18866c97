using Mta.Commands.Queue;

namespace Mta.Commands.Tables;

/// <summary>postmap(1)/postalias(1)'s command line: -c, -q key, -s, -d key, -f, -i, -r, -w and the table operands.</summary>
internal sealed class PostmapOptions
{
    public enum DuplicatePolicy { Warn, Replace, Ignore }

    public string? ConfigDirectory { get; private set; }
    public string? Query { get; private set; }
    public string? DeleteKey { get; private set; }
    public bool Sequence { get; private set; }
    public bool FoldCase { get; private set; } = true;
    public bool Incremental { get; private set; }
    public DuplicatePolicy Duplicates { get; private set; } = DuplicatePolicy.Warn;
    public IReadOnlyList<string> Tables { get; private set; } = [];

    public static PostmapOptions Parse(IReadOnlyList<string> args, TableFlavour flavour)
    {
        var options = new PostmapOptions();
        var getopt = new Getopt(args, flavour.OptionSpec);
        try
        {
            while (getopt.Next(out var option, out var value))
            {
                switch (option)
                {
                    case 'c': options.ConfigDirectory = value; break;
                    case 'd':
                        if (options.Sequence || options.Query is not null || options.DeleteKey is not null)
                            throw new FatalError("specify only one of -s -q or -d");
                        options.DeleteKey = value;
                        break;
                    case 'q':
                        if (options.Sequence || options.Query is not null || options.DeleteKey is not null)
                            throw new FatalError("specify only one of -s -q or -d");
                        options.Query = value;
                        break;
                    case 's':
                        if (options.Query is not null || options.DeleteKey is not null)
                            throw new FatalError("specify only one of -s or -q or -d");
                        options.Sequence = true;
                        break;
                    case 'f': options.FoldCase = false; break;
                    case 'i': options.Incremental = true; break;
                    case 'r': options.Duplicates = DuplicatePolicy.Replace; break;
                    case 'w': options.Duplicates = DuplicatePolicy.Ignore; break;
                    default: break; // -N -n -o -p -v -u -U -b -h -m -F: null bytes, ownership, logging, UTF-8 checks: no effect here
                }
            }
        }
        catch (ArgumentException e)
        {
            throw new FatalError(flavour.Usage, 1, e.Message);
        }
        options.Tables = getopt.Operands;
        if (options.Tables.Count == 0 && !options.Sequence)
            throw new FatalError(flavour.Usage);
        return options;
    }
}

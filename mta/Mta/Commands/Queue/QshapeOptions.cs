namespace Mta.Commands.Queue;

/// <summary>qshape(1)'s switches: -s (sender domains), -p (parent domains), -m, -b, -t, -l, -w, -c and the queue names.</summary>
internal sealed record QshapeOptions
{
    public bool Senders { get; init; }
    public bool Parents { get; init; }
    public bool Linear { get; init; }
    public int MinSubdomains { get; init; } = 5;
    public int Buckets { get; init; } = 10;
    public int TickMinutes { get; init; } = 5;
    public int Width { get; init; } = 80;
    public string? ConfigDirectory { get; init; }
    public IReadOnlyList<string> Queues { get; init; } = ["incoming", "active"];

    public const string Usage = "Usage: qshape [ -s ] [ -p ] [ -m <min_subdomains> ] [ -l ]\n"
        + "\t[ -b <bucket_count> ] [ -t <bucket_time> ] [ -w <terminal_width> ]\n"
        + "\t[ -N <batch_msg_count> ] [ -n <batch_top_domains> ]\n"
        + "\t[ -c <config_directory> ] [ <queue_name> ... ]";

    public static QshapeOptions Parse(IReadOnlyList<string> args)
    {
        var options = new QshapeOptions();
        var getopt = new Getopt(args, "lhc:psw:b:t:m:n:N:");
        try
        {
            while (getopt.Next(out var option, out var value))
            {
                // Like the Perl original, numeric values only take effect above their floor (-w above 80, others above 0).
                options = option switch
                {
                    'l' => options with { Linear = true },
                    's' => options with { Senders = true },
                    'p' => options with { Parents = true },
                    'c' => options with { ConfigDirectory = value },
                    'w' => Number(value) is > 80 and var w ? options with { Width = w } : options,
                    'b' => Number(value) is > 0 and var b ? options with { Buckets = b } : options,
                    't' => Number(value) is > 0 and var t ? options with { TickMinutes = t } : options,
                    'm' => Number(value) is > 0 and var m ? options with { MinSubdomains = m } : options,
                    'h' => throw new FatalError(Usage),
                    _ => options, // -n, -N: interim results are for terminals; output here is always the final table
                };
            }
        }
        catch (ArgumentException e)
        {
            throw new FatalError(Usage, 1, e.Message);
        }
        return getopt.Operands.Count > 0 ? options with { Queues = getopt.Operands } : options;
    }

    private static int Number(string? text) => int.TryParse(text, out var n) ? n : 0;
}

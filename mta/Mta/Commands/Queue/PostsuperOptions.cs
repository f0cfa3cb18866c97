namespace Mta.Commands.Queue;

/// <summary>postsuper(1)'s command line: the queue IDs per operation (each may be "ALL" or "-") and the queue operands.</summary>
internal sealed class PostsuperOptions
{
    public const string Usage = "usage: postsuper [-c config_dir] [-d queue_id (delete)] [-e queue_id (expire)] "
        + "[-f queue_id (expire and/or un-hold)] [-h queue_id (hold)] [-H queue_id (un-hold)] [-p (purge temporary files)] "
        + "[-r queue_id (requeue)] [-s (structure fix)] [-S (redundant structure fix)][-v (verbose)] [queue...]";

    public string? ConfigDirectory { get; private set; }
    public List<string> Delete { get; } = [];
    public List<string> Hold { get; } = [];
    public List<string> Release { get; } = [];
    public List<string> Requeue { get; } = [];
    public IReadOnlyList<string> Queues { get; private set; } = [];

    public static PostsuperOptions Parse(IReadOnlyList<string> args)
    {
        var options = new PostsuperOptions();
        var getopt = new Getopt(args, "c:d:e:f:h:H:pr:sSv");
        try
        {
            while (getopt.Next(out var option, out var value))
            {
                switch (option)
                {
                    case 'c':
                        if (!value!.StartsWith('/'))
                            throw new FatalError("-c requires absolute pathname");
                        options.ConfigDirectory = value;
                        break;
                    case 'd': options.Delete.Add(value!); break;
                    case 'h': options.Hold.Add(value!); break;
                    case 'H': options.Release.Add(value!); break;
                    case 'r': options.Requeue.Add(value!); break;
                    case 'e':
                    case 'f':
                        // The queue stores have no forced-expiry mark yet; refusing beats pretending.
                        throw new FatalError($"-{option} (forced expiration) is not supported by this mail system");
                    default:
                        // -p, -s, -S: the stores keep their own structure and leave no temporary files to purge.
                        break;
                }
            }
        }
        catch (ArgumentException e)
        {
            throw new FatalError(Usage, 1, e.Message);
        }
        options.Queues = getopt.Operands;
        return options;
    }
}

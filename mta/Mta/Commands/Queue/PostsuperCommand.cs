using Mta.Queue;

namespace Mta.Commands.Queue;

/// <summary>
/// postsuper(1): -d delete, -h hold, -H release from hold, -r requeue, each with a queue ID, "ALL" or "-" (IDs on
/// standard input), optionally limited to the named queues. Order and reports as Postfix: the ALL operations
/// first, queue by queue, then the operations by ID (delete, requeue, hold, release); each message done by ID is
/// reported as "ID: removed" (requeued, placed on hold, released from hold), then the totals, on stderr and in
/// the mail log.
/// </summary>
internal static class PostsuperCommand
{
    private const string Program = "postsuper";

    // Postfix's default queue lists; the names without messages here (defer, bounce, maildrop, flush) are kept
    // so that naming them is accepted, as Postfix accepts them.
    private static readonly string[] DefaultQueues = ["defer", "bounce", "maildrop", "incoming", "active", "deferred", "hold", "flush"];
    private static readonly string[] DefaultHoldQueues = ["incoming", "active", "deferred"];
    private static readonly string[] DefaultReleaseQueues = ["hold"];
    private static readonly HashSet<string> KnownQueues = new(StringComparer.Ordinal)
        { "defer", "bounce", "trace", "maildrop", "incoming", "active", "deferred", "hold", "flush", "saved", "corrupt" };

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter err) => Run(args, Console.In, err);

    public static int Run(IReadOnlyList<string> args, TextReader input, TextWriter err)
    {
        try
        {
            var options = PostsuperOptions.Parse(args);
            foreach (var queue in options.Queues)
                if (!KnownQueues.Contains(queue))
                    throw new FatalError($"invalid directory name: {queue}");
            return RunAsync(options, input, err, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (FatalError e)
        {
            return e.Report(Program, err);
        }
    }

    private static async Task<int> RunAsync(PostsuperOptions options, TextReader input, TextWriter err, CancellationToken cancellationToken)
    {
        await using var session = await QueueSession.OpenAsync(options.ConfigDirectory, "Queue is unavailable - mail system is down", cancellationToken)
            .ConfigureAwait(false);
        var report = new Reporter(session, err);
        var operations = new[]
        {
            new Operation("d", options.Delete, session.Store.DeleteAsync, "removed"),
            new Operation("r", options.Requeue, session.Store.RequeueAsync, "requeued"),
            new Operation("h", options.Hold, session.Store.HoldAsync, "placed on hold"),
            new Operation("H", options.Release, session.Store.ReleaseAsync, "released from hold"),
        };
        foreach (var operation in operations.Where(o => o.All && o.Names.Any(n => n != "ALL")))
            report.Warning($"option \"-{operation.Flag} ALL\" will ignore other command line queue IDs");

        await RunAllOperationsAsync(options, operations, session.Store, cancellationToken).ConfigureAwait(false);
        var queues = options.Queues.Count > 0 ? options.Queues : DefaultQueues;
        foreach (var operation in operations.Where(o => !o.All))
            foreach (var name in operation.Names)
            {
                var ids = name == "-" ? ReadIds(input) : [name];
                foreach (var id in ids)
                    if (await ApplyOneAsync(operation, queues, id, session.Store, report, cancellationToken).ConfigureAwait(false))
                        operation.Count++;
            }

        report.Total("Requeued", operations[1].Count);
        report.Total("Deleted", operations[0].Count);
        report.Total("Placed on hold", operations[2].Count);
        report.Total("Released from hold", operations[3].Count);
        return 0;
    }

    /// <summary>The "ALL" forms, one pass over the queues as Postfix's super() makes: delete wins, then requeue, hold, release.</summary>
    private static async Task RunAllOperationsAsync(PostsuperOptions options, Operation[] operations, IQueueConsumer store, CancellationToken cancellationToken)
    {
        var (delete, requeue, hold, release) = (operations[0], operations[1], operations[2], operations[3]);
        if (!operations.Any(o => o.All))
            return;
        IReadOnlyList<string> queues = options.Queues.Count > 0 ? options.Queues
            : hold.All && !delete.All && !requeue.All && !release.All ? DefaultHoldQueues
            : release.All && !delete.All && !requeue.All && !hold.All ? DefaultReleaseQueues
            : DefaultQueues;
        foreach (var queueName in queues)
        {
            if (!QueueNames.TryParse(queueName, out var queue))
                continue;
            var ids = new List<QueueId>();
            await foreach (var message in store.ListAsync(queue, cancellationToken).ConfigureAwait(false))
                ids.Add(message.Id);
            foreach (var id in ids)
            {
                var operation = delete.All ? delete
                    : requeue.All ? requeue
                    : hold.All && queue != QueueName.Hold ? hold
                    : release.All && queue == QueueName.Hold ? release
                    : null;
                if (operation is not null && await operation.Apply(id, cancellationToken).ConfigureAwait(false))
                    operation.Count++;
            }
        }
    }

    /// <summary>One message by ID: only when it sits in one of the queues this operation may take it from.</summary>
    private static async Task<bool> ApplyOneAsync(Operation operation, IReadOnlyList<string> queues, string text, IQueueConsumer store,
        Reporter report, CancellationToken cancellationToken)
    {
        if (!QueueIdSyntax.IsAcceptable(text))
        {
            report.Warning($"invalid mail queue id: {text}");
            return false;
        }
        if (!QueueId.IsValid(text))
            return false;
        var id = new QueueId(text);
        if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } message)
            return false;
        var from = message.Queue.ToPostfixName();
        var eligible = operation.Flag switch
        {
            "h" => message.Queue != QueueName.Hold,
            "H" => message.Queue == QueueName.Hold,
            _ => true,
        };
        if (!eligible || !queues.Contains(from) || !await operation.Apply(id, cancellationToken).ConfigureAwait(false))
            return false;
        report.Info($"{id}: {operation.Done}");
        return true;
    }

    private static List<string> ReadIds(TextReader input)
    {
        var ids = new List<string>();
        while (input.ReadLine() is { } line)
            ids.Add(line);
        return ids;
    }

    private sealed class Operation(string flag, List<string> names, Func<QueueId, CancellationToken, ValueTask<bool>> apply, string done)
    {
        public string Flag { get; } = flag;
        public List<string> Names { get; } = names;
        public string Done { get; } = done;
        public bool All => Names.Contains("ALL");
        public int Count { get; set; }
        public ValueTask<bool> Apply(QueueId id, CancellationToken cancellationToken) => apply(id, cancellationToken);
    }

    /// <summary>msg_info/msg_warn: to stderr as "postsuper: ..." and to the mail log as "postfix/postsuper[pid]: ...".</summary>
    private sealed class Reporter(QueueSession session, TextWriter err)
    {
        public void Info(string text)
        {
            err.WriteLine($"{Program}: {text}");
            session.Log.Write(session.LogProgram(Program), text);
        }

        public void Warning(string text) => Info($"warning: {text}");

        public void Total(string what, int count)
        {
            if (count > 0)
                Info($"{what}: {count} message{(count > 1 ? "s" : "")}");
        }
    }
}

using System.Text;
using Mta.Config;
using Mta.Queue;

namespace Mta.Commands.Queue;

/// <summary>
/// postqueue(1): -p lists the queue (mailq), -j lists it as JSON lines, -f flushes it, -i ID makes one deferred
/// message ready now, -s SITE makes the deferred mail for one destination ready now. It reads the queue store
/// directly, so it answers whether or not the master runs, and over Redis it sees the whole fleet's queue.
/// </summary>
internal static class PostqueueCommand
{
    private const string Program = "postqueue";
    private const string Usage = "usage: postqueue -f | postqueue -i queueid | postqueue -j | postqueue -p | postqueue -s site";
    private const string ReportUnavailable = "Queue report unavailable - mail system is down";
    private const string FlushUnavailable = "Cannot flush mail queue - mail system is down";

    private enum Mode { None, List, Json, Flush, FlushId, FlushSite }

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter err)
    {
        try
        {
            return RunAsync(args, output, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (FatalError e)
        {
            return e.Report(Program, err);
        }
    }

    private static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var (mode, argument, configDirectory) = Parse(args);
        var unavailable = mode is Mode.List or Mode.Json ? ReportUnavailable : FlushUnavailable;
        await using var session = await QueueSession.OpenAsync(configDirectory, unavailable, cancellationToken).ConfigureAwait(false);
        try
        {
            switch (mode)
            {
                case Mode.List:
                case Mode.Json:
                    var entries = await ShowqEntry.ListAsync(session.Store, EmptyAddress(session), cancellationToken).ConfigureAwait(false);
                    output.Write(mode == Mode.List ? MailqFormatter.Format(entries, TimeZoneInfo.Local) : Json(entries));
                    return 0;
                case Mode.Flush:
                    await session.Store.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return 0;
                case Mode.FlushId:
                    await FlushOneAsync(session.Store, new QueueId(argument!), cancellationToken).ConfigureAwait(false);
                    return 0;
                default:
                    await SiteFlush.RunAsync(session.Store, argument!, cancellationToken).ConfigureAwait(false); // every site: the queue is the index
                    return 0;
            }
        }
        catch (Exception e) when (e is QueueUnavailableException or IOException)
        {
            throw new FatalError(unavailable, ExitStatus.Unavailable);
        }
    }

    // Debian's postqueue 3.7 exits 69 (EX_UNAVAILABLE) for usage errors and bad arguments too: measured, kept.
    private static (Mode Mode, string? Argument, string? ConfigDirectory) Parse(IReadOnlyList<string> args)
    {
        var mode = Mode.None;
        string? argument = null, configDirectory = null;
        var options = new Getopt(args, "c:fi:jps:v");
        try
        {
            while (options.Next(out var option, out var value))
            {
                var next = option switch
                {
                    'c' => Mode.None,
                    'f' => Mode.Flush,
                    'i' => Mode.FlushId,
                    'j' => Mode.Json,
                    'p' => Mode.List,
                    's' => Mode.FlushSite,
                    _ => Mode.None,
                };
                if (option == 'c')
                    configDirectory = value;
                if (next == Mode.None)
                    continue;
                if (mode != Mode.None)
                    throw new FatalError(Usage, ExitStatus.Unavailable);
                mode = next;
                argument = value;
            }
        }
        catch (ArgumentException e)
        {
            throw new FatalError(Usage, ExitStatus.Unavailable, e.Message);
        }
        if (mode == Mode.None || options.OperandIndex < args.Count)
            throw new FatalError(Usage, ExitStatus.Unavailable);
        if (mode == Mode.FlushId && !QueueIdSyntax.IsAcceptable(argument))
            throw new FatalError($"Cannot flush queue ID - invalid name: \"{Truncated(argument!)}\"", ExitStatus.Unavailable);
        if (mode == Mode.FlushSite && !SiteNames.IsValid(argument!))
            throw new FatalError($"Cannot flush mail queue - invalid destination: \"{Truncated(argument!)}\"", ExitStatus.Unavailable);
        return (mode, argument, configDirectory);
    }

    private static string Truncated(string text) => text.Length > 100 ? text[..100] + "..." : text;

    private static string EmptyAddress(QueueSession session) => session.Config.Parameters.Get(ParameterCatalogue.EmptyAddressRecipient);

    private static string Json(IReadOnlyList<ShowqEntry> entries)
    {
        var text = new StringBuilder();
        foreach (var entry in entries)
            QueueJsonFormatter.WriteLine(text, entry);
        return text.ToString();
    }

    /// <summary>
    /// postqueue -i: only a deferred message is touched (Postfix's flush service does the same); it goes to incoming,
    /// ready now, with its delivered and bounced recipients still final. Anything else is left alone, silently.
    /// </summary>
    private static async Task FlushOneAsync(IQueueConsumer store, QueueId id, CancellationToken cancellationToken)
    {
        if (QueueId.IsValid(id.Value) && await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { Queue: QueueName.Deferred })
            await store.RequeueAsync(id, cancellationToken).ConfigureAwait(false);
    }
}

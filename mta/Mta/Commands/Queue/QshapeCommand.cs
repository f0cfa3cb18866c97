using Mta.Queue;

namespace Mta.Commands.Queue;

/// <summary>
/// qshape(1) over the queue store: "mta qshape [-s] [-p] [-m N] [-b N] [-t N] [-l] [-w N] [-c DIR] [queue...]"
/// (default queues incoming and active). Counts each recipient still to be delivered (or, with -s, each sender) by
/// domain and by the message's age; the store is read as the roles read it, so over Redis it is the fleet's queue.
/// </summary>
internal static class QshapeCommand
{
    private const string Program = "qshape";

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter err)
    {
        try
        {
            var options = QshapeOptions.Parse(args);
            var queues = new List<QueueName>();
            foreach (var name in options.Queues)
            {
                if (!QueueNames.TryParse(name, out var queue) || name != queue.ToPostfixName())
                    throw new FatalError(name.StartsWith('/')
                        ? $"{name}: queue directory paths are not supported; name a queue (incoming, active, deferred, hold)"
                        : $"unknown queue: {name}");
                queues.Add(queue);
            }
            output.Write(RunAsync(options, queues, CancellationToken.None).GetAwaiter().GetResult());
            return 0;
        }
        catch (FatalError e)
        {
            return e.Report(Program, err);
        }
    }

    private static async Task<string> RunAsync(QshapeOptions options, IReadOnlyList<QueueName> queues, CancellationToken cancellationToken)
    {
        await using var session = await QueueSession.OpenAsync(options.ConfigDirectory, "queue is unavailable", cancellationToken).ConfigureAwait(false);
        var table = new QshapeTable(options, DateTimeOffset.UtcNow);
        foreach (var queue in queues.Distinct())
        {
            await foreach (var message in session.Store.ListAsync(queue, cancellationToken).ConfigureAwait(false))
            {
                var pending = message.Envelope.Recipients
                    .Where((_, i) => i >= message.Recipients.Count || !message.Recipients[i].IsFinal)
                    .Select(r => r.Address)
                    .ToList();
                if (pending.Count > 0)
                    table.Add(message.Envelope.ArrivalTime, message.Envelope.Sender, pending);
            }
        }
        return table.Format();
    }
}

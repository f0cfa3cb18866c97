using Mta.Queue;
using Mta.Smtp;

namespace Mta.Delivery.Qmgr;

/// <summary>
/// Polls the queue's depths into mta_queue_messages{queue} and mta_queue_oldest_age_seconds{queue} every
/// <c>interval</c>. Any process with a queue may run it (with Redis every replica reports the same fleet-wide figures).
/// </summary>
public sealed class QueueMetricsExporter(IQueueConsumer queue, TimeSpan interval, IMailLog log, string programName, TimeProvider? time = null)
    : IAsyncDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>Starts polling in the background (first poll at once).</summary>
    public void Start() => _loop ??= RunAsync(_stop.Token);

    /// <summary>One poll: reads every queue's depth and sets the gauges.</summary>
    public async Task ExportOnceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var depth in await queue.GetDepthsAsync(cancellationToken).ConfigureAwait(false))
        {
            string name = depth.Queue.ToPostfixName();
            QmgrMetrics.QueueMessages.WithLabels(name).Set(depth.Messages);
            double age = depth.OldestArrival is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0;
            QmgrMetrics.QueueOldestAge.WithLabels(name).Set(age);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await ExportOnceAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (QueueUnavailableException e)
                {
                    log.Write(programName, $"warning: queue depth metrics: {e.Message}");
                }
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}

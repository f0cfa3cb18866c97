namespace Mta.Queue.File;

/// <summary>How to open a <see cref="FileQueueStore"/>.</summary>
/// <param name="QueueDirectory">Postfix's queue_directory.</param>
/// <param name="Recover">
/// Run crash recovery on open, as Postfix's qmgr does at start: move active/ back to incoming/, and remove
/// temp files and unreferenced bodies older than <see cref="OrphanAge"/>. Only the queue manager's process should.
/// </param>
public sealed record FileQueueStoreOptions(string QueueDirectory, bool Recover = false)
{
    /// <summary>Leftovers younger than this may belong to a writer still at work in another process (sendmail).</summary>
    public TimeSpan OrphanAge { get; init; } = TimeSpan.FromHours(1);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}

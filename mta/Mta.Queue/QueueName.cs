namespace Mta.Queue;

/// <summary>Postfix's queues a message can sit in (mail_queue.h). Exactly one at a time.</summary>
public enum QueueName
{
    /// <summary>Newly accepted, ready for the queue manager.</summary>
    Incoming,
    /// <summary>Claimed by a queue manager under a lease, being delivered.</summary>
    Active,
    /// <summary>Waiting for its next attempt (not-before time).</summary>
    Deferred,
    /// <summary>Put aside by the operator (postsuper -h); never scheduled until released.</summary>
    Hold,
    /// <summary>Could not be read; kept for inspection, never scheduled.</summary>
    Corrupt,
}

public static class QueueNames
{
    public static readonly IReadOnlyList<QueueName> All =
        [QueueName.Incoming, QueueName.Active, QueueName.Deferred, QueueName.Hold, QueueName.Corrupt];

    /// <summary>Postfix's directory and postqueue -j name: "incoming", "active", ...</summary>
    public static string ToPostfixName(this QueueName queue) => queue switch
    {
        QueueName.Incoming => "incoming",
        QueueName.Active => "active",
        QueueName.Deferred => "deferred",
        QueueName.Hold => "hold",
        QueueName.Corrupt => "corrupt",
        _ => throw new ArgumentOutOfRangeException(nameof(queue)),
    };

    public static bool TryParse(string text, out QueueName queue)
    {
        foreach (var candidate in All)
            if (string.Equals(candidate.ToPostfixName(), text, StringComparison.OrdinalIgnoreCase)) { queue = candidate; return true; }
        queue = default;
        return false;
    }
}

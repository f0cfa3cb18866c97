namespace Mta.Queue;

/// <summary>
/// A queue ID in Postfix's long format (enable_long_queue_ids = yes): what log lines, mailq and
/// postqueue -j show. The text is the identity; construction and uniqueness belong to the store.
/// </summary>
public readonly record struct QueueId(string Value)
{
    public override string ToString() => Value;
}

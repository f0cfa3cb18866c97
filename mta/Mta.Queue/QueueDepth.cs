namespace Mta.Queue;

/// <summary>How many messages a queue holds and the arrival time of its oldest (mta_queue_messages, mta_queue_oldest_age_seconds).</summary>
public sealed record QueueDepth(QueueName Queue, long Messages, DateTimeOffset? OldestArrival);

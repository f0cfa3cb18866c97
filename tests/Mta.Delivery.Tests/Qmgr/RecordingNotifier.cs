using System.Collections.Concurrent;
using Mta.Delivery.Notices;
using Mta.Queue;

namespace Mta.Delivery.Tests.Qmgr;

/// <summary>Records every notice asked for ("bounce", "delay", "success") and answers with a made-up queue ID.</summary>
public sealed class RecordingNotifier : INotifier
{
    private readonly ConcurrentQueue<(string Kind, QueueId Message, IReadOnlyList<NoticeRecipient> Recipients)> _notices = new();

    public IReadOnlyList<(string Kind, QueueId Message, IReadOnlyList<NoticeRecipient> Recipients)> Notices => _notices.ToArray();

    public IReadOnlyList<IReadOnlyList<NoticeRecipient>> Of(string kind) => Notices.Where(n => n.Kind == kind).Select(n => n.Recipients).ToList();

    public ValueTask<QueueId?> BounceAsync(QueuedMessage message, IReadOnlyList<NoticeRecipient> failed, CancellationToken cancellationToken) =>
        Record("bounce", message, failed);

    public ValueTask<QueueId?> DelayWarningAsync(QueuedMessage message, IReadOnlyList<NoticeRecipient> delayed, CancellationToken cancellationToken) =>
        Record("delay", message, delayed);

    public ValueTask<QueueId?> SuccessAsync(QueuedMessage message, IReadOnlyList<NoticeRecipient> delivered, CancellationToken cancellationToken) =>
        Record("success", message, delivered);

    private ValueTask<QueueId?> Record(string kind, QueuedMessage message, IReadOnlyList<NoticeRecipient> recipients)
    {
        _notices.Enqueue((kind, message.Id, recipients));
        return ValueTask.FromResult<QueueId?>(new QueueId($"NOTICE{_notices.Count}"));
    }
}

using Mta.Queue;

namespace Mta.Delivery.Notices;

/// <summary>Everything one notice is written from.</summary>
/// <param name="Template">Failure, delay or success text.</param>
/// <param name="Original">The message the notice is about.</param>
/// <param name="Recipients">The recipients it reports (already filtered by NOTIFY).</param>
/// <param name="To">The notice's recipient (To: header and envelope), fully qualified.</param>
/// <param name="PostmasterCopy">A postmaster copy: its own Subject:, Auto-Submitted: auto-generated, no boiler-plate text.</param>
/// <param name="Return">How much of the original goes back (FULL may still shrink to headers over bounce_size_limit).</param>
/// <param name="NoticeId">The notice's own queue ID (Received:, Message-Id:).</param>
/// <param name="Now">When it is written (Date:, MIME boundary).</param>
internal sealed record NoticeRequest(
    NoticeTemplate Template,
    QueuedMessage Original,
    IReadOnlyList<NoticeRecipient> Recipients,
    string To,
    bool PostmasterCopy,
    DsnRet Return,
    QueueId NoticeId,
    DateTimeOffset Now);

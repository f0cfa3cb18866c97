using Mta.Queue;

namespace Mta.Delivery.Local;

/// <summary>
/// A destination local(8) must re-submit as new mail (a remote alias member, an :include: member, a .forward
/// entry, or a member of an owner- list): forward.c collects these and queues one message per Delivered-To and
/// sender, reporting "forwarded as NEWID" for each.
/// </summary>
/// <param name="Index">The request recipient this came from.</param>
/// <param name="Recipient">The new envelope recipient (its original address kept for orig_to and DSN).</param>
/// <param name="Sender">Envelope sender of the new message (owner-name@... for an owner- list).</param>
/// <param name="DeliveredTo">The Delivered-To: header to prepend (loop detection downstream).</param>
/// <param name="KeepDsn">False for owner- lists: ENVID and RET are not passed on to a list's expansion.</param>
public sealed record PendingForward(int Index, Recipient Recipient, string Sender, string DeliveredTo, bool KeepDsn);

using Mta.Queue;

namespace Mta.Delivery.Agents;

/// <summary>One delivery attempt handed to an agent (Postfix's deliver_request).</summary>
/// <param name="Message">The queued message as claimed (envelope, size, DSN requests).</param>
/// <param name="Transport">The master.cf service name the recipients resolved to, e.g. "smtp", "relay", "local".</param>
/// <param name="Nexthop">Where to: a domain (MX lookup), "[host]:port" (no MX lookup), a local domain, or error text for the error agent.</param>
/// <param name="Recipients">The recipients of this attempt (never already-final ones).</param>
/// <param name="OpenBody">Opens the stored bytes (CRLF, headers then body) exactly as received; the agent disposes the stream.</param>
public sealed record DeliveryRequest(
    QueuedMessage Message,
    string Transport,
    string Nexthop,
    IReadOnlyList<DeliveryRecipient> Recipients,
    Func<CancellationToken, ValueTask<Stream>> OpenBody)
{
    public QueueId Id => Message.Id;

    /// <summary>Envelope sender; empty for the null sender.</summary>
    public string Sender => Message.Envelope.Sender;
}

/// <summary>One recipient of a delivery request.</summary>
/// <param name="Index">Index into the message's envelope recipients (outcomes are recorded against it).</param>
/// <param name="Address">The address to deliver to, after trivial-rewrite (what the agent uses).</param>
/// <param name="Envelope">The envelope recipient with its original address and DSN parameters.</param>
public sealed record DeliveryRecipient(int Index, string Address, Recipient Envelope);

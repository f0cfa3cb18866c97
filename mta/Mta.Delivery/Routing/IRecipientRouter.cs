namespace Mta.Delivery.Routing;

/// <summary>
/// trivial-rewrite's resolve service as the queue manager uses it: where one recipient goes.
/// </summary>
public interface IRecipientRouter
{
    /// <summary>Resolves a recipient (internal form, e.g. "user@example.com" or an unqualified "user").</summary>
    ValueTask<Route> RouteAsync(string recipient, CancellationToken cancellationToken);
}

/// <summary>
/// A resolved recipient: transport (master.cf service name), next hop and the address to deliver to.
/// </summary>
/// <param name="Transport">e.g. "smtp", "relay", "local", "virtual", "lmtp", "discard", "error", or a transport_maps result.</param>
/// <param name="Nexthop">Domain (MX lookup), "[host]:port" (none), the local domain for local, or the error text for error/retry.</param>
/// <param name="Recipient">The recipient after resolving (qualified with $myorigin, routing operators undone).</param>
public sealed record Route(string Transport, string Nexthop, string Recipient);

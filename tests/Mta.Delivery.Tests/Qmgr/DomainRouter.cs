using Mta.Delivery.Routing;

namespace Mta.Delivery.Tests.Qmgr;

/// <summary>Routes by domain: local.test to local, domains in the map to their transport, everything else to smtp:domain.</summary>
public sealed class DomainRouter(IReadOnlyDictionary<string, string>? transports = null) : IRecipientRouter
{
    public ValueTask<Route> RouteAsync(string recipient, CancellationToken cancellationToken)
    {
        string domain = recipient[(recipient.LastIndexOf('@') + 1)..].ToLowerInvariant();
        string transport = domain == "local.test" ? "local" : transports?.GetValueOrDefault(domain) ?? "smtp";
        return ValueTask.FromResult(new Route(transport, domain, recipient));
    }
}

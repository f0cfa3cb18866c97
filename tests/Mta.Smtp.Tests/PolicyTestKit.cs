using System.Net;
using Mta.Config.Tables;
using Mta.Smtp.Policy;

namespace Mta.Smtp.Tests;

/// <summary>Builds a policy and sessions for the policy tests: mx.example.com, mynetworks 192.0.2.0/24.</summary>
internal static class PolicyTestKit
{
    public const string Trusted = "192.0.2.10";
    public const string Stranger = "198.51.100.7";
    public const string OwnAddress = "203.0.113.1";

    public static SmtpdPolicySettings Settings => new()
    {
        MyHostname = "mx.example.com",
        MyDestination = "mx.example.com, example.com, localhost",
        MyNetworks = "192.0.2.0/24",
        RelayDomains = "relay.example",
        InterfaceAddresses = [IPAddress.Parse(OwnAddress)],
    };

    public static SmtpdPolicy Policy(SmtpdPolicySettings? settings = null, List<string>? log = null,
        IDomainResolver? dns = null) =>
        new(settings ?? Settings, new LookupTableFactory(), dns ?? new FakeDns(), log is null ? null : log.Add);

    public static SessionInfo Session(string client = Stranger, string? helo = "client.example.net", bool sasl = false,
        string clientName = "unknown") =>
        new(IPAddress.Parse(client), 40000, new IPEndPoint(IPAddress.Parse(OwnAddress), 25), "smtp")
        {
            HeloName = helo,
            Protocol = "ESMTP",
            ClientName = clientName,
            SaslMethod = sasl ? "PLAIN" : null,
            SaslUsername = sasl ? "alice" : null,
        };

    public static async Task<string?> Rcpt(this SmtpdPolicy policy, SessionInfo session, string recipient,
        string sender = "sender@example.org")
    {
        var verdict = await policy.CheckRecipientAsync(session, sender, recipient, CancellationToken.None);
        return verdict.Reply?.ToString();
    }
}

/// <summary>A resolver with fixed answers: names under ".invalid" do not exist, under ".tempfail" the DNS fails.</summary>
internal sealed class FakeDns : IDomainResolver
{
    public ValueTask<DomainLookupStatus> LookupMailHostAsync(string domain, CancellationToken cancellationToken) =>
        ValueTask.FromResult(domain.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase) ? DomainLookupStatus.NotFound
            : domain.EndsWith(".tempfail", StringComparison.OrdinalIgnoreCase) ? DomainLookupStatus.TryAgain
            : domain.EndsWith(".nullmx", StringComparison.OrdinalIgnoreCase) ? DomainLookupStatus.NullMx
            : DomainLookupStatus.Found);
}

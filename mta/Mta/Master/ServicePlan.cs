using System.Net;
using Mta.Config;
using Mta.Config.MasterCf;
using Mta.Smtp;
using Mta.Smtp.Policy;
using Mta.Smtp.Server;

namespace Mta.Master;

/// <summary>
/// What the master runs for a configuration: one smtpd listener per `inet ... smtpd` service and address, with
/// main.cf plus that service's -o overrides bound into settings once. Services whose programs Mta does inline
/// (cleanup, trivial-rewrite, anvil, ...) need no process; the delivery side arrives with the queue manager.
/// </summary>
internal static class ServicePlan
{
    /// <summary>Postfix daemons whose work Mta does inside other services, so master.cf may list them freely.</summary>
    private static readonly HashSet<string> Inline = new(StringComparer.Ordinal)
    {
        "cleanup", "trivial-rewrite", "tlsmgr", "anvil", "scache", "proxymap", "postlogd", "showq", "verify",
        "flush", "bounce", "pickup", "postscreen", "dnsblog", "tlsproxy",
    };

    public static IReadOnlyList<SmtpListener> SmtpListeners(InstanceConfig config)
    {
        var listeners = new List<SmtpListener>();
        foreach (var service in config.Master.Services)
        {
            if (service.Type != ServiceType.Inet || service.ProcessName != "smtpd")
                continue;
            var parameters = service.Apply(config.Parameters);
            var settings = SmtpdSettingsBinder.From(parameters, service.Name);
            var policy = new SmtpdPolicy(PolicySettingsBinder.BindSmtpdPolicy(parameters));
            var credentials = SaslCredentials(parameters);
            var addresses = ListenAddresses(service.Endpoint!, parameters);
            for (var i = 0; i < addresses.Count; i++)
            {
                var name = i == 0 ? service.Key : $"{service.Key}#{i}";
                listeners.Add(new SmtpListener(name, addresses[i], settings, policy, credentials));
            }
        }
        return listeners;
    }

    /// <summary>smtpd_sasl_path names a user:password table (e.g. mounted from a Kubernetes Secret) when AUTH is on.</summary>
    private static PasswordTable? SaslCredentials(ParameterSet p)
    {
        if (!p.Get(ParameterCatalogue.SmtpdSaslAuthEnable))
            return null;
        var path = p.Get(ParameterCatalogue.SmtpdSaslPath);
        return File.Exists(path) ? PasswordTable.Load(path) : throw new ConfigException($"smtpd_sasl_path: cannot open password table {path}");
    }

    /// <summary>master.cf services Mta does not run yet, for one honest warning at start.</summary>
    public static IEnumerable<MasterService> NotYetRun(InstanceConfig config) =>
        config.Master.Services.Where(s => !(s.Type == ServiceType.Inet && s.ProcessName == "smtpd") && !Inline.Contains(s.ProcessName));

    private static List<IPEndPoint> ListenAddresses(InetEndpoint endpoint, ParameterSet parameters)
    {
        var port = endpoint.Port ?? throw new ConfigException($"unknown service: {endpoint.Service}/tcp");
        IEnumerable<string> hosts = endpoint.Host is { } host ? [host] : parameters.Get(ParameterCatalogue.InetInterfaces);
        var result = new List<IPEndPoint>();
        foreach (var name in hosts)
        {
            switch (name.ToLowerInvariant())
            {
                case "all":
                    result.Add(new IPEndPoint(IPAddress.Any, port));
                    break;
                case "loopback-only":
                case "localhost":
                    result.Add(new IPEndPoint(IPAddress.Loopback, port));
                    break;
                default:
                    var text = name.Trim('[', ']');
                    if (text.StartsWith("ipv6:", StringComparison.OrdinalIgnoreCase))
                        text = text[5..];
                    var addresses = IPAddress.TryParse(text, out var literal) ? [literal] : Dns.GetHostAddresses(text);
                    result.AddRange(addresses.Select(a => new IPEndPoint(a, port)));
                    break;
            }
        }
        return result.DistinctBy(e => e.ToString()).ToList();
    }
}

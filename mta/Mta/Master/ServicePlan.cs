using System.Net;
using Mta.Config;
using Mta.Config.MasterCf;
using Mta.Config.Tables;
using Mta.Queue;
using Mta.Queue.Redis;
using Mta.Smtp;
using Mta.Smtp.Policy;
using Mta.Smtp.Server;
using StackExchange.Redis;

namespace Mta.Master;

/// <summary>
/// What the master runs for a configuration: one smtpd listener per `inet ... smtpd` service and address, with
/// main.cf plus that service's -o overrides bound into settings once. Services whose programs Mta does inline
/// (cleanup, trivial-rewrite, anvil, bounce, ...) need no process; qmgr and the delivery agents run in DeliveryRuntime.
/// </summary>
internal static class ServicePlan
{
    /// <summary>Postfix daemons whose work Mta does inside other services, so master.cf may list them freely.</summary>
    private static readonly HashSet<string> Inline = new(StringComparer.Ordinal)
    {
        "cleanup", "trivial-rewrite", "tlsmgr", "anvil", "scache", "proxymap", "postlogd", "showq", "verify",
        "flush", "bounce", "pickup", "postscreen", "dnsblog", "tlsproxy",
    };

    /// <param name="log">Where the policy's and anvil's own lines go (HOLD/DISCARD/WARN actions, Redis trouble); null drops them.</param>
    public static IReadOnlyList<SmtpListener> SmtpListeners(InstanceConfig config, IMailLog? log = null)
    {
        var listeners = new List<SmtpListener>();
        IClientLimiter? limiter = null; // no smtpd service, no anvil (and no Redis connection for it)
        foreach (var service in config.Master.Services)
        {
            if (service.Type != ServiceType.Inet || service.ProcessName != "smtpd")
                continue;
            var parameters = service.Apply(config.Parameters);
            var settings = SmtpdSettingsBinder.From(parameters, service.Name);
            var program = settings.ProgramName;
            var policy = new SmtpdPolicy(PolicySettingsBinder.BindSmtpdPolicy(parameters),
                log: log is null ? null : text => log.Write(program, text));
            var credentials = SaslCredentials(parameters);
            // anvil counts per service, like Postfix's: the limits take the service's -o overrides.
            limiter ??= SharedClientLimiter(config, log);
            var limits = new ClientLimits(PolicySettingsBinder.BindClientLimits(parameters), limiter,
                NetworkMatchList.Parse("smtpd_client_event_limit_exceptions", PolicySettingsBinder.ClientEventLimitExceptions(parameters),
                    parameters.ParentDomainMatchesSubdomains("smtpd_client_event_limit_exceptions"), LookupTableFactory.Shared));
            var addresses = ListenAddresses(service.Endpoint!, parameters);
            for (var i = 0; i < addresses.Count; i++)
            {
                var name = i == 0 ? service.Key : $"{service.Key}#{i}";
                listeners.Add(new SmtpListener(name, addresses[i], settings, policy, credentials, limits));
            }
        }
        return listeners;
    }

    private static readonly Lock LimiterGate = new();
    private static (string Key, IClientLimiter Limiter)? _sharedLimiter;

    /// <summary>
    /// The process's one anvil, kept across reloads while queue_backend, redis_url and anvil_rate_time_unit stay
    /// the same (so reloading does not forget open connections): counted in Redis when the queue is there, so the
    /// limits hold for every smtpd pod together, else in this process.
    /// </summary>
    private static IClientLimiter SharedClientLimiter(InstanceConfig config, IMailLog? log)
    {
        var store = config.QueueStore(recover: false);
        var redis = store.Backend == QueueStoreSettings.RedisBackend;
        var unit = PolicySettingsBinder.AnvilRateTimeUnit(config.Parameters);
        var key = $"{store.Backend}|{(redis ? store.RedisUrl : "")}|{unit.Ticks}";
        lock (LimiterGate)
        {
            if (_sharedLimiter is { } shared && shared.Key == key)
                return shared.Limiter;
            // A replaced Redis limiter's multiplexer stays open: sessions started before the reload still hold leases on it.
            IClientLimiter limiter = redis ? new RedisClientLimiter(ConnectRedis(store.RedisUrl), unit,
                    log: log is null ? null : text => log.Write($"{config.SyslogName}/anvil", text)) : new InProcessClientLimiter(unit);
            _sharedLimiter = (key, limiter);
            return limiter;
        }
    }

    /// <summary>Connects in the background: while Redis is unreachable the limiter fails open, as smtpd does without anvil.</summary>
    private static ConnectionMultiplexer ConnectRedis(string url)
    {
        var options = RedisUrl.Parse(url);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.AsyncTimeout = 1000;
        options.SyncTimeout = 1000;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName = "mta-anvil";
        return ConnectionMultiplexer.Connect(options);
    }

    /// <summary>smtpd_sasl_path names a user:password table (e.g. mounted from a Kubernetes Secret) when AUTH is on.</summary>
    private static PasswordTable? SaslCredentials(ParameterSet p)
    {
        if (!p.Get(ParameterCatalogue.SmtpdSaslAuthEnable))
            return null;
        var path = p.Get(ParameterCatalogue.SmtpdSaslPath);
        return File.Exists(path) ? PasswordTable.Load(path) : throw new ConfigException($"smtpd_sasl_path: cannot open password table {path}");
    }

    /// <summary>master.cf services Mta does not run (pipe, spawn, other programs), for one honest warning at start.</summary>
    public static IEnumerable<MasterService> NotYetRun(InstanceConfig config) =>
        config.Master.Services.Where(s => !(s.Type == ServiceType.Inet && s.ProcessName == "smtpd") && !Inline.Contains(s.ProcessName)
            && s.ProcessName != "qmgr" && !(s.Type == ServiceType.Unix && DeliveryRuntime.AgentPrograms.Contains(s.ProcessName)));

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

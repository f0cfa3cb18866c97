using System.Runtime.InteropServices;
using System.Threading.Channels;
using Mta.Commands.Postfix;
using Mta.Config;
using Mta.Queue;
using Mta.Smtp;
using Mta.Smtp.Server;

namespace Mta.Master;

/// <summary>
/// `postfix start-fg`: Postfix's master(8) in one process. Validates the configuration, takes the pid file,
/// opens the queue store, runs the master.cf services and stays in the foreground (PID 1 in a container) until
/// SIGTERM/SIGINT. SIGHUP is `postfix reload`: configuration is read again; new sessions use it, sessions in
/// progress finish with what they started with; a configuration that fails to load is logged and ignored.
/// </summary>
internal sealed class MasterDaemon(string configDirectory, TextWriter err)
{
    private const string Program = "postfix/master";

    /// <summary>How long sessions in progress may run on after a stop or after their listener went away.</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(25);

    /// <summary>How often to try the queue store again while it is unavailable at startup.</summary>
    private static readonly TimeSpan StoreRetryDelay = TimeSpan.FromSeconds(1);

    private enum Request { Reload, Stop }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var (checkedConfig, check) = LoadChecked();
        foreach (var warning in check.Warnings)
            err.WriteLine($"postfix/postfix-script: warning: {warning}");
        if (checkedConfig is not { } config)
        {
            foreach (var fatal in check.Fatals)
                err.WriteLine($"postfix/postfix-script: fatal: {fatal}");
            return 1;
        }

        using var pidFile = PidFile.TryAcquire(config.PidFilePath);
        if (pidFile is null)
        {
            err.WriteLine("postfix/postfix-script: fatal: the Postfix mail system is already running");
            return 1;
        }
        var (log, ownedLog) = MailLogOutput.Open(config.Parameters);
        using var _ = ownedLog;

        var requests = Channel.CreateUnbounded<(Request Kind, int Signal)>();
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => { c.Cancel = true; requests.Writer.TryWrite((Request.Reload, 1)); });
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; requests.Writer.TryWrite((Request.Stop, 15)); });
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; requests.Writer.TryWrite((Request.Stop, 2)); });
        using var stopOnCancel = cancellationToken.Register(() => requests.Writer.TryWrite((Request.Stop, 15)));

        IMailQueue? store;
        try
        {
            store = await OpenStoreAsync(config, log, requests.Reader, cancellationToken);
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            log.Write(Program, $"fatal: open queue: {e.Message}");
            err.WriteLine($"postfix/master: fatal: open queue: {e.Message}");
            return 1;
        }
        if (store is null)
            return 0; // stopped while waiting for the store
        await using var storeLifetime = store;
        // With the queue in Redis, lookup tables may live there too (redis:NAME, e.g. aliases loaded by postalias).
        var storeSettings = config.QueueStore(recover: false);
        await using var redisTables = storeSettings.Backend == QueueStoreSettings.RedisBackend
            ? Mta.Queue.Redis.RedisTables.Register(Mta.Config.Tables.LookupTableFactory.Shared, storeSettings.RedisUrl)
            : null;
        await using var host = new SmtpServerHost(store, log);
        try
        {
            await host.StartAsync(ServicePlan.SmtpListeners(config, log), cancellationToken);
        }
        catch (IOException e)
        {
            log.Write(Program, $"fatal: bind: {e.Message}");
            err.WriteLine($"postfix/master: fatal: bind: {e.Message}");
            return 1;
        }
        using var metrics = MetricsEndpoint.Start(log);
        var version = config.Parameters.Get(ParameterCatalogue.MailVersion);
        log.Write(Program, $"daemon started -- version {version}, configuration {configDirectory}");
        WarnNotYetRun(config, log);
        var delivery = DeliveryRuntime.Start(config, store, log);
        try
        {
            await foreach (var (kind, signal) in requests.Reader.ReadAllAsync(CancellationToken.None))
            {
                if (kind == Request.Stop)
                {
                    log.Write(Program, $"terminating on signal {signal}");
                    await host.StopAsync(DrainGrace);
                    return 0;
                }
                var next = await ReloadAsync(config, host, log);
                if (!ReferenceEquals(next, config))
                {
                    // Like Postfix's qmgr and agents after a reload: the running ones finish what they hold, new ones
                    // start with the new configuration.
                    if (delivery is not null)
                        await delivery.DisposeAsync();
                    delivery = DeliveryRuntime.Start(next, store, log);
                }
                config = next;
            }
            return 0;
        }
        finally
        {
            if (delivery is not null)
                await delivery.DisposeAsync();
        }
    }

    /// <summary>
    /// Opens the queue store, waiting while it is unavailable (Redis not up yet, e.g. a pod that started first):
    /// no listener is open meanwhile, so clients retry and nothing is accepted that could not be kept. Exiting
    /// instead would put a pod into crash-loop back-off long after Redis came up. Null when stopped while waiting.
    /// </summary>
    private static async Task<IMailQueue?> OpenStoreAsync(InstanceConfig config, IMailLog log, ChannelReader<(Request Kind, int Signal)> requests, CancellationToken cancellationToken)
    {
        var warned = false;
        while (true)
        {
            try
            {
                var store = await QueueStoreFactory.OpenAsync(config.QueueStore(recover: true), cancellationToken);
                if (warned)
                    log.Write(Program, "queue store available");
                return store;
            }
            catch (QueueUnavailableException e)
            {
                if (!warned)
                    log.Write(Program, $"warning: open queue: {e.Message.ReplaceLineEndings(" ")}; waiting for it"); // one log line
                warned = true;
            }
            using var delay = new CancellationTokenSource(StoreRetryDelay);
            try
            {
                while (await requests.WaitToReadAsync(delay.Token))
                {
                    if (requests.TryRead(out var request) && request.Kind == Request.Stop)
                    {
                        log.Write(Program, $"terminating on signal {request.Signal}");
                        return null;
                    }
                }
            }
            catch (OperationCanceledException) when (delay.IsCancellationRequested)
            {
                // Time to try again.
            }
        }
    }

    private async Task<InstanceConfig> ReloadAsync(InstanceConfig current, SmtpServerHost host, IMailLog log)
    {
        try
        {
            var (checkedConfig, check) = LoadChecked();
            var next = checkedConfig ?? throw new ConfigException(check.Fatals[0]);
            await host.ReloadAsync(ServicePlan.SmtpListeners(next, log), DrainGrace, CancellationToken.None);
            log.Write(Program, $"reload -- version {next.Parameters.Get(ParameterCatalogue.MailVersion)}, configuration {configDirectory}");
            return next;
        }
        catch (Exception e) when (e is ConfigException or IOException)
        {
            // Postfix's master would exit on a fatal configuration error; keeping the running configuration is what a
            // mail system in a pod should do instead — the operator reports the bad value.
            log.Write(Program, $"warning: reload failed, configuration unchanged: {e.Message}");
            return current;
        }
    }

    /// <summary>`postfix check` over the files, and the configuration it read when they passed (read once, not twice).</summary>
    private (InstanceConfig? Config, ConfigurationCheck Check) LoadChecked()
    {
        var check = new ConfigurationCheck(configDirectory);
        check.Run();
        return (check.Fatals.Count == 0 && check.Loaded is { } directory ? InstanceConfig.From(directory) : null, check);
    }

    private static void WarnNotYetRun(InstanceConfig config, IMailLog log)
    {
        var pending = ServicePlan.NotYetRun(config).Select(s => s.Key).ToList();
        if (pending.Count > 0)
            log.Write(Program, $"warning: not yet run by mta, mail stays queued: {string.Join(", ", pending)}");
    }
}

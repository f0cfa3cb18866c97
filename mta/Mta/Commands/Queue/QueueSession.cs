using Mta.Config;
using Mta.Master;
using Mta.Queue;
using Mta.Smtp;

namespace Mta.Commands.Queue;

/// <summary>
/// One queue command's view of an instance: its configuration, the queue store opened exactly as the roles open
/// it (so with queue_backend = redis a command sees and changes the whole fleet's queue), and the mail log.
/// </summary>
internal sealed class QueueSession : IAsyncDisposable
{
    private readonly IDisposable? _ownedLog;

    private QueueSession(InstanceConfig config, IMailQueue store, IMailLog log, IDisposable? ownedLog)
    {
        Config = config;
        Store = store;
        Log = log;
        _ownedLog = ownedLog;
    }

    public InstanceConfig Config { get; }
    public IMailQueue Store { get; }
    public IMailLog Log { get; }

    /// <summary>"postfix/postsuper": syslog_name, a slash and the program, as the mail log shows commands.</summary>
    public string LogProgram(string program) => $"{Config.SyslogName}/{program}";

    /// <summary>
    /// Reads the configuration and opens the store. A configuration error is fatal with status 1 (mail_conf_read);
    /// an unreachable store is fatal with <paramref name="unavailableText"/> and <see cref="ExitStatus.Unavailable"/>.
    /// </summary>
    public static async Task<QueueSession> OpenAsync(string? configOption, string unavailableText, CancellationToken cancellationToken)
    {
        InstanceConfig config;
        try
        {
            config = InstanceConfig.Load(ConfigDirectory.Resolve(configOption));
        }
        catch (ConfigException e)
        {
            throw new FatalError(e.Message);
        }
        IMailQueue store;
        try
        {
            store = await QueueStoreFactory.OpenAsync(config.QueueStore(recover: false), cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            throw new FatalError(e.Message);
        }
        catch (Exception e) when (e is QueueUnavailableException or IOException or UnauthorizedAccessException)
        {
            throw new FatalError(unavailableText, ExitStatus.Unavailable);
        }
        var (log, owned) = MailLogOutput.Open(config.Parameters, forCommand: true);
        return new QueueSession(config, store, log, owned);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync().ConfigureAwait(false);
        _ownedLog?.Dispose();
    }
}

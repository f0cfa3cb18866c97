using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Mta.Queue;

namespace Mta.Tests.Master;

/// <summary>
/// A single-host Mta in a temp directory: main.cf, master.cf with an smtpd on a free 127.0.0.1 port, its own
/// queue and data directories. <see cref="Start"/> runs the real `mta postfix -c DIR start-fg` as a child process.
/// </summary>
internal sealed class MtaInstance : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("mta-instance-").FullName;
    public string ConfigDirectory => Path.Combine(Root, "etc");
    public string QueueDirectory => Path.Combine(Root, "spool");
    public string MaillogPath => Path.Combine(Root, "maillog");
    public int Port { get; } = LocalPorts.Free();
    private Process? _master;

    /// <param name="extraMainCf">main.cf lines after the instance's own.</param>
    /// <param name="extraMasterCf">master.cf lines after smtpd, qmgr and postlog (e.g. delivery agents).</param>
    /// <param name="smtpd">False for a delivery-only process (no smtpd listener).</param>
    public MtaInstance(string extraMainCf = "", string extraMasterCf = "", bool smtpd = true)
    {
        Directory.CreateDirectory(ConfigDirectory);
        WriteMainCf(extraMainCf);
        HasSmtpd = smtpd;
        File.WriteAllText(Path.Combine(ConfigDirectory, "master.cf"),
            (smtpd ? $"127.0.0.1:{Port} inet n - n - - smtpd\n" : "") + "qmgr unix n - n 300 1 qmgr\npostlog unix-dgram n - n - 1 postlogd\n" + extraMasterCf);
    }

    /// <summary>Whether master.cf runs an smtpd (then <see cref="Start"/> waits for its port, else for the start log line).</summary>
    public bool HasSmtpd { get; }

    /// <summary>The delivery agents of Postfix's stock master.cf, for instances that deliver.</summary>
    public const string DeliveryAgents = """
        smtp      unix  -       -       n       -       -       smtp
        relay     unix  -       -       n       -       -       smtp
          -o syslog_name=postfix/$service_name
        local     unix  -       n       n       -       -       local
        virtual   unix  -       n       n       -       -       virtual
        lmtp      unix  -       -       n       -       -       lmtp
        discard   unix  -       -       n       -       -       discard
        error     unix  -       -       n       -       -       error
        retry     unix  -       -       n       -       -       error

        """;

    public void WriteMainCf(string extra) => File.WriteAllText(Path.Combine(ConfigDirectory, "main.cf"), $"""
        compatibility_level = 3.11
        myhostname = mx.test.example
        queue_directory = {QueueDirectory}
        data_directory = {Path.Combine(Root, "data")}
        mynetworks = 127.0.0.0/8
        maillog_file = {MaillogPath}
        {extra}
        """.Replace("\n        ", "\n"));

    /// <summary>Runs the mta command (the Mta project's build output) with the given arguments.</summary>
    public static (int Status, string Output, string Error) Run(params string[] args) => Run(null, TimeSpan.FromSeconds(60), args);

    /// <summary>Runs the mta command with <paramref name="stdin"/> as its input; fails the test if it runs past <paramref name="limit"/>.</summary>
    public static (int Status, string Output, string Error) Run(string? stdin, TimeSpan limit, params string[] args)
    {
        var start = MtaProcess(args);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
            process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit((int)limit.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mta {string.Join(' ', args)} did not finish");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>`mta sendmail -C DIR args...` with the message on standard input.</summary>
    public (int Status, string Error) Sendmail(string stdin, TimeSpan limit, params string[] args)
    {
        var (status, _, error) = Run(stdin, limit, ["sendmail", "-C", ConfigDirectory, .. args]);
        return (status, error);
    }

    public void Start()
    {
        _master = Process.Start(MtaProcess(["postfix", "-c", ConfigDirectory, "start-fg"]))!;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_master.HasExited)
                throw new InvalidOperationException($"master exited {_master.ExitCode}: {_master.StandardError.ReadToEnd()}");
            if (!HasSmtpd)
            {
                if (Maillog.Contains("daemon started", StringComparison.Ordinal))
                    return;
                Thread.Sleep(100);
                continue;
            }
            if (LocalPorts.IsListening(Port))
                return;
            Thread.Sleep(100);
        }
        throw new TimeoutException(HasSmtpd ? "smtpd never listened" : "master never logged its start");
    }

    public Process Master => _master ?? throw new InvalidOperationException("not started");

    /// <summary>SIGKILL the master: no drain, no cleanup; what it answered 250 for must already be durable.</summary>
    public void KillMaster()
    {
        Master.Kill();
        Assert.True(Master.WaitForExit(10_000), "master did not die on SIGKILL");
        Master.Dispose();
        _master = null;
    }

    /// <summary>This instance's file queue, as main.cf's default queue_backend = file sees it.</summary>
    public QueueStoreSettings FileStore => new(QueueStoreSettings.FileBackend, QueueDirectory, "");

    public Task<List<QueuedMessage>> QueuedAsync() => QueuedAsync(FileStore);

    public Task<string> BodyAsync(QueueId id) => BodyAsync(FileStore, id);

    /// <summary>Every message in the store, whichever backend, opened the way the roles open it.</summary>
    public static async Task<List<QueuedMessage>> QueuedAsync(QueueStoreSettings settings)
    {
        await using var store = await QueueStoreFactory.OpenAsync(settings);
        var result = new List<QueuedMessage>();
        await foreach (var message in store.ListAsync(null, CancellationToken.None))
            result.Add(message);
        return result;
    }

    public static async Task<string> BodyAsync(QueueStoreSettings settings, QueueId id)
    {
        await using var store = await QueueStoreFactory.OpenAsync(settings);
        await using var body = await store.OpenBodyAsync(id, CancellationToken.None);
        return await new StreamReader(body).ReadToEndAsync();
    }

    public string Maillog => File.Exists(MaillogPath) ? File.ReadAllText(MaillogPath) : "";

    public void Dispose()
    {
        if (_master is { HasExited: false })
        {
            _master.Kill(entireProcessTree: true);
            _master.WaitForExit(10_000);
        }
        _master?.Dispose();
        StopBackgroundMaster();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    /// <summary>A master `postfix start` left running (a failed test): its pid file is in this instance's queue.</summary>
    private void StopBackgroundMaster()
    {
        var pidPath = Path.Combine(QueueDirectory, "pid", "master.pid");
        if (!File.Exists(pidPath) || !int.TryParse(File.ReadAllText(pidPath).Trim(), out var pid))
            return;
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.StartTime < Directory.GetCreationTime(Root))
                return; // a recycled PID, not the master this instance started
            process.Kill();
            process.WaitForExit(10_000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private static ProcessStartInfo MtaProcess(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mta.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return start;
    }
}

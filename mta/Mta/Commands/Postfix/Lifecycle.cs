using System.Diagnostics;
using Mta.Config;
using Mta.Master;

namespace Mta.Commands.Postfix;

/// <summary>
/// postfix(1)'s process commands, with postfix-script's messages: start-fg (run the master here), start (run it
/// in the background and wait until it is up), stop, abort, reload, status — the last four find the master
/// through $queue_directory/pid/master.pid, so they work from any shell.
/// </summary>
internal static class Lifecycle
{
    private const string Script = "postfix/postfix-script";
    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(30);

    public static int Run(string command, string configDirectory, TextWriter output, TextWriter err)
    {
        if (command is not ("start-fg" or "start" or "stop" or "abort" or "reload" or "status"))
        {
            err.WriteLine($"postfix: fatal: unknown command: '{command}'. Usage: postfix start (or stop, reload, abort, check, status, start-fg)");
            return 1;
        }
        if (command == "start-fg")
            return new MasterDaemon(configDirectory, err).RunAsync(CancellationToken.None).GetAwaiter().GetResult();

        InstanceConfig config;
        try
        {
            config = InstanceConfig.Load(configDirectory);
        }
        catch (ConfigException e)
        {
            err.WriteLine($"postfix: fatal: {e.Message}");
            return 1;
        }
        var running = PidFile.RunningMaster(config.PidFilePath);
        switch (command)
        {
            case "status":
                if (running is int pid)
                {
                    err.WriteLine($"{Script}: the Postfix mail system is running: PID: {pid}");
                    return 0;
                }
                err.WriteLine($"{Script}: the Postfix mail system is not running");
                return 1;
            case "start":
                if (running is not null)
                {
                    err.WriteLine($"{Script}: fatal: the Postfix mail system is already running");
                    return 1;
                }
                var check = new ConfigurationCheck(configDirectory);
                check.Run();
                foreach (var fatal in check.Fatals)
                    err.WriteLine($"{Script}: fatal: {fatal}");
                if (check.Fatals.Count > 0)
                    return 1;
                err.WriteLine($"{Script}: starting the Postfix mail system");
                return StartInBackground(config, err);
            case "stop":
            case "abort":
                if (running is not int stopPid)
                {
                    err.WriteLine($"{Script}: fatal: the Postfix mail system is not running");
                    return 1;
                }
                err.WriteLine(command == "stop" ? $"{Script}: stopping the Postfix mail system" : $"{Script}: aborting the Postfix mail system");
                ProcessSignals.Send(stopPid, command == "stop" ? ProcessSignals.SigTerm : ProcessSignals.SigKill);
                return WaitForExit(stopPid) ? 0 : 1;
            case "reload":
                if (running is not int reloadPid)
                {
                    err.WriteLine($"{Script}: fatal: the Postfix mail system is not running");
                    return 1;
                }
                err.WriteLine($"{Script}: refreshing the Postfix mail system");
                return ProcessSignals.Send(reloadPid, ProcessSignals.SigHup) ? 0 : 1;
            default:
                throw new InvalidOperationException(command);
        }
    }

    /// <summary>
    /// Starts `mta postfix -c DIR start-fg` in a new session with its standard streams on /dev/null (so a caller
    /// reading our output is not held open, and a closing terminal's SIGHUP is no reload), then waits until the
    /// pid file names a live master. Without maillog_file the background master's log lines are discarded, as
    /// Postfix's would be without syslog: set maillog_file, or use start-fg.
    /// </summary>
    private static int StartInBackground(InstanceConfig config, TextWriter err)
    {
        var self = Environment.ProcessPath ?? "mta";
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var arg in new[] { "-c", "setsid \"$@\" </dev/null >/dev/null 2>&1 &", "sh", self })
            start.ArgumentList.Add(arg);
        // Run as `dotnet mta.dll` when not started through the apphost.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(typeof(Lifecycle).Assembly.Location);
        foreach (var arg in new[] { "postfix", "-c", config.ConfigDirectory, "start-fg" })
            start.ArgumentList.Add(arg);
        using (var shell = Process.Start(start))
            shell?.WaitForExit();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupWait)
        {
            if (PidFile.RunningMaster(config.PidFilePath) is not null)
                return 0;
            Thread.Sleep(100);
        }
        err.WriteLine($"{Script}: fatal: mail system startup failed");
        return 1;
    }

    private static bool WaitForExit(int pid)
    {
        var deadline = Stopwatch.StartNew();
        while (ProcessSignals.IsAlive(pid))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                return false;
            Thread.Sleep(100);
        }
        return true;
    }
}

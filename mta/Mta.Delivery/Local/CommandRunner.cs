using System.Diagnostics;
using System.Text;
using Mta.Queue;

namespace Mta.Delivery.Local;

/// <summary>
/// pipe_command(3) for local(8): runs "|command" through /bin/sh -c (or local_command_shell) with the message on
/// standard input (mail_copy form), the delivery environment, and a time limit (command_time_limit) after which the
/// whole process tree is killed. Exit 0 delivers; a "D.S.N text" first output line, a &lt;sysexits.h&gt; status
/// (75 defers) or any other status decide the outcome with Postfix's texts. The command runs as this process's
/// user (no setuid to default_privs or the alias owner).
/// </summary>
public sealed class CommandRunner(string shell, TimeSpan timeLimit, string? workingDirectory)
{
    private const int OutputLimit = 2048;

    public async ValueTask<RecipientOutcome> RunAsync(string command, IReadOnlyDictionary<string, string> environment,
        Func<Stream, CancellationToken, ValueTask> writeInput, CancellationToken cancellationToken)
    {
        var start = BuildStartInfo(command, environment);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return RecipientOutcome.Deferred("4.3.0", $"Command failed: {e.Message}: \"{command}\"");
        }

        var output = new StringBuilder();
        var readOut = ReadLimitedAsync(process.StandardOutput, output);
        var readErr = ReadLimitedAsync(process.StandardError, output);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(timeLimit);
        // Feed standard input on the side: a command that never reads must not hold us past the time limit.
        var feeding = FeedAsync(process, writeInput, timeout.Token);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            await Task.WhenAll(readOut, readErr).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            if (!timedOut)
                throw;
        }
        await feeding;

        string log = Printable(output);
        string suffix = log.Length > 0 ? ". Command output: " + log : "";
        if (timedOut)
            return RecipientOutcome.Bounced("5.3.0", $"Command time limit exceeded: \"{command}\"{suffix}");
        int status = process.ExitCode;
        if (status == 0)
            return RecipientOutcome.Delivered("2.0.0", $"delivered to command: {command}");
        if (TrySplitDsn(log, out var dsn, out var text))
            return dsn[0] == '4' ? RecipientOutcome.Deferred(dsn, text) : RecipientOutcome.Bounced(dsn, text);
        if (SysExits.Lookup(status) is { } known)
        {
            var reason = known.Text + suffix;
            return known.Dsn[0] == '4' ? RecipientOutcome.Deferred(known.Dsn, reason) : RecipientOutcome.Bounced(known.Dsn, reason);
        }
        return RecipientOutcome.Bounced("5.3.0", $"Command died with status {status}: \"{command}\"{suffix}");
    }

    private static async Task FeedAsync(Process process, Func<Stream, CancellationToken, ValueTask> writeInput, CancellationToken ct)
    {
        try
        {
            await writeInput(process.StandardInput.BaseStream, ct);
            process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // EPIPE (the command stopped reading) or the time limit: the exit status or the limit decides, as in Postfix.
        }
    }

    private ProcessStartInfo BuildStartInfo(string command, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (shell.Length == 0)
        {
            start.FileName = "/bin/sh";
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(command);
        }
        else
        {
            // local_command_shell = /some/shell -c: the command is the last argument.
            var words = shell.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            start.FileName = words[0];
            foreach (var w in words.Skip(1))
                start.ArgumentList.Add(w);
            start.ArgumentList.Add(command);
        }
        if (!string.IsNullOrEmpty(workingDirectory))
            start.WorkingDirectory = workingDirectory;
        // Postfix runs commands with a clean environment: export_environment, PATH=_PATH_DEFPATH and the delivery variables.
        var keep = new[] { "TZ", "MAIL_CONFIG", "LANG" };
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (!keep.Contains(name, StringComparer.Ordinal))
                start.Environment.Remove(name);
        }
        start.Environment["PATH"] = "/usr/bin:/bin";
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        return start;
    }

    private static async Task ReadLimitedAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[1024];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                if (into.Length < OutputLimit)
                    into.Append(buffer, 0, Math.Min(n, OutputLimit - into.Length));
            }
        }
    }

    // pipe_command: tabs and newlines become spaces, other non-printables "_"; trailing white space trimmed.
    private static string Printable(StringBuilder output)
    {
        var text = new StringBuilder(output.Length);
        foreach (var c in output.ToString())
            text.Append(c is '\t' or '\n' ? ' ' : char.IsControl(c) ? '_' : c);
        return text.ToString().TrimEnd();
    }

    /// <summary>Output that starts with "4.x.y text" or "5.x.y text" names its own status (dsn_valid()).</summary>
    internal static bool TrySplitDsn(string text, out string dsn, out string rest)
    {
        dsn = rest = "";
        var space = text.IndexOf(' ');
        var candidate = space < 0 ? text : text[..space];
        if (!Simple.DsnText.IsValid(candidate))
            return false;
        dsn = candidate;
        rest = space < 0 ? "" : text[(space + 1)..].TrimStart();
        return true;
    }
}

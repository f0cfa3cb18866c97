using System.Diagnostics;

namespace Mta.Tests;

/// <summary>The output of one command: what it printed on stdout and stderr and its exit status.</summary>
public sealed record CommandResult(string Stdout, string Stderr, int ExitCode);

/// <summary>Runs Debian's real postconf(1) and our `mta` entry point (in-process) the same way.</summary>
public static class ProcessRunner
{
    public const string RealPostconf = "/usr/sbin/postconf";

    /// <summary>Runs the real Postfix postconf; fails the test if it is not installed (.ci/run installs postfix).</summary>
    public static CommandResult Postfix(params string[] args)
    {
        Assert.True(File.Exists(RealPostconf), $"{RealPostconf} is missing: install Debian's postfix package (.ci/run does)");
        // Started as plain "postconf" (exec -a), so that its messages carry the same program name as ours.
        var start = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-c", $"exec -a postconf {RealPostconf} \"$@\"", "postconf", .. args])
            start.ArgumentList.Add(arg);
        start.Environment.Remove("MAIL_CONFIG");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(10_000), "postconf did not finish within 10 s");
        return new CommandResult(stdout.Result, stderr.Result, process.ExitCode);
    }

    /// <summary>Runs `mta ARGS...` in-process through <see cref="Cli.Run"/>.</summary>
    public static CommandResult Mta(params string[] args) => Invoke(null, args);

    /// <summary>Runs the multi-call binary as if started under another name (a sendmail link, ...).</summary>
    public static CommandResult Invoke(string? invokedAs, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Cli.Run(args, stdout, stderr, invokedAs);
        return new CommandResult(stdout.ToString(), stderr.ToString(), code);
    }
}

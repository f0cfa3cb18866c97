using System.Diagnostics;

namespace Mta.Tests;

/// <summary>The built executable itself: a link named like a Postfix command runs that command (argv[0]).</summary>
public sealed class BinaryTests
{
    private static CommandResult Run(string path, params string[] args)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(10_000), "mta did not finish within 10 s");
        return new CommandResult(stdout.Result, stderr.Result, process.ExitCode);
    }

    [Fact]
    public void LinksNamedAfterCommandsDispatchByProgramName()
    {
        var binary = Path.Combine(AppContext.BaseDirectory, "mta");
        Assert.True(File.Exists(binary), $"the mta apphost is not next to the tests: {binary}");
        var links = Path.Combine(Path.GetTempPath(), "mta-links-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(links);
        try
        {
            File.CreateSymbolicLink(Path.Combine(links, "sendmail"), binary);
            File.CreateSymbolicLink(Path.Combine(links, "postconf"), binary);
            var sendmail = Run(Path.Combine(links, "sendmail"), "-x");
            Assert.Equal(("sendmail: fatal: invalid option -- 'x'\n", 64), (sendmail.Stderr, sendmail.ExitCode));
            var postconf = Run(Path.Combine(links, "postconf"), "-d", "mail_name", "queue_backend");
            Assert.Equal(("mail_name = Postfix\nqueue_backend = file\n", 0), (postconf.Stdout, postconf.ExitCode));
            var version = Run(binary, "--version");
            Assert.Equal("mta 0.1.0\n", version.Stdout);
        }
        finally
        {
            Directory.Delete(links, recursive: true);
        }
    }
}

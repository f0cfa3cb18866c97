using System.Diagnostics;

namespace Mta.Config.Tests;

/// <summary>Runs Debian's real postconf against a scratch configuration directory (Postfix is never started).</summary>
public sealed class RealPostconf : IDisposable
{
    public const string Binary = "/usr/sbin/postconf";

    public RealPostconf(string mainCf = "", string masterCf = "")
    {
        Directory = Path.Combine(Path.GetTempPath(), "mta-postconf-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(MainCfPath, mainCf);
        File.WriteAllText(MasterCfPath, masterCf);
    }

    public string Directory { get; }
    public string MainCfPath => Path.Combine(Directory, "main.cf");
    public string MasterCfPath => Path.Combine(Directory, "master.cf");

    public static bool Available => File.Exists(Binary);

    /// <summary>Runs postconf -c DIR ARGS...; stderr lines have the "/usr/sbin/postconf: " prefix removed.</summary>
    public (string Stdout, IReadOnlyList<string> Stderr, int ExitCode) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Directory);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        // A plain thread drains stderr: blocking on async reads starves xunit's thread pool.
        string stderr = "";
        var errorReader = new Thread(() => stderr = process.StandardError.ReadToEnd());
        errorReader.Start();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            throw new TimeoutException("postconf did not finish");
        }
        errorReader.Join();
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.StartsWith(Binary + ": ", StringComparison.Ordinal) ? l[(Binary.Length + 2)..] : l)
            .ToList();
        return (stdout, lines, process.ExitCode);
    }

    /// <summary>The fatal line's text without "fatal: ", or null.</summary>
    public static string? Fatal(IReadOnlyList<string> stderr) =>
        stderr.Where(l => l.StartsWith("fatal: ", StringComparison.Ordinal)).Select(l => l[7..]).FirstOrDefault();

    public static IReadOnlyList<string> Warnings(IReadOnlyList<string> stderr) =>
        stderr.Where(l => l.StartsWith("warning: ", StringComparison.Ordinal)).Select(l => l[9..]).Distinct().ToList();

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

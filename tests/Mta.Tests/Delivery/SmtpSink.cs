using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Mta.Tests.Delivery;

/// <summary>
/// Postfix's real smtp-sink on 127.0.0.1, dumping every transaction into its own file (-d), so a test can count
/// what arrived by Message-ID. Can be started late on a port chosen earlier (a destination that comes back).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed partial class SmtpSink : IDisposable
{
    private readonly string _dumpDirectory = Directory.CreateTempSubdirectory("mta-sink-").FullName;
    private Process? _process;

    public int Port { get; }

    public SmtpSink(int? port = null, bool start = true)
    {
        Port = port ?? LocalPorts.Free();
        if (start)
            Start();
    }

    public void Start()
    {
        // smtp-sink drops to -u's privileges when run as root; the dump directory must be writable for it.
        File.SetUnixFileMode(_dumpDirectory, (UnixFileMode)0b111_111_111);
        var start = new ProcessStartInfo("/usr/sbin/smtp-sink") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-u", Environment.UserName == "root" ? "nobody" : Environment.UserName, "-d", Path.Combine(_dumpDirectory, "%H%M%S."), $"127.0.0.1:{Port}", "128" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        LocalPorts.WaitUntilListening(Port, TimeSpan.FromSeconds(10), () => "smtp-sink never listened");
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Every dumped transaction's text, in no particular order.</summary>
    public IReadOnlyList<string> Messages() =>
        Directory.EnumerateFiles(_dumpDirectory, "*", SearchOption.AllDirectories).Select(ReadShared).ToList();

    /// <summary>
    /// The Message-ID of every complete dumped transaction (duplicates kept). A dump file is written as the data
    /// arrives, so a transaction cut off by a killed client also leaves one: only dumps holding the last line of
    /// the test message (<see cref="EndMarker"/>) count.
    /// </summary>
    public IReadOnlyList<string> MessageIds() =>
        Messages().Where(m => m.Contains(EndMarker, StringComparison.Ordinal))
            .Select(m => MessageIdHeader().Match(m)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The last body line of every message the delivery tests send.</summary>
    public const string EndMarker = "-- end of test message --";

    /// <summary>Waits until <paramref name="condition"/> holds on what arrived, or the limit passes.</summary>
    public bool WaitFor(Func<IReadOnlyList<string>, bool> condition, TimeSpan limit)
    {
        var wait = Stopwatch.StartNew();
        while (wait.Elapsed < limit)
        {
            if (condition(MessageIds()))
                return true;
            Thread.Sleep(100);
        }
        return condition(MessageIds());
    }

    // A dump file is written while the transaction runs; read what is there without blocking the writer.
    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }

    [GeneratedRegex(@"(?im)^Message-I[dD]:\s*(<[^>\r\n]+>)")]
    private static partial Regex MessageIdHeader();

    public void Dispose()
    {
        Stop();
        try { Directory.Delete(_dumpDirectory, recursive: true); } catch (IOException) { }
    }
}

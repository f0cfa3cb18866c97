using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mta.Delivery.Tests.Smtp;

/// <summary>
/// Postfix's real /usr/sbin/smtp-sink on 127.0.0.1, dumping each transaction to a file (-d) so a test can read
/// back what arrived: smtp-sink's X-Mail-Args/X-Rcpt-Args headers, then the message as received (dot-stuffing
/// undone, CRLF as LF), then an empty line.
/// </summary>
public sealed class SmtpSinkProcess : IDisposable
{
    private readonly Process _process;

    /// <param name="lmtp">Speak LMTP (-L).</param>
    /// <param name="unixSocket">Listen on a UNIX-domain socket (<see cref="SocketPath"/>) instead of TCP.</param>
    public SmtpSinkProcess(bool lmtp = false, bool unixSocket = false)
    {
        if (unixSocket)
            SocketPath = Path.Combine(Directory.CreateTempSubdirectory("mta-smtp-sink-socket-").FullName, "lmtp.sock");
        DumpDirectory = Directory.CreateTempSubdirectory("mta-smtp-sink-").FullName;
        // smtp-sink drops root privileges to -u; that user must be able to write the dumps.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(DumpDirectory, (UnixFileMode)0x1FF);
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            var arguments = new List<string>();
            if (Environment.UserName == "root")
                arguments.AddRange(["-u", "nobody"]);
            if (lmtp)
                arguments.Add("-L");
            arguments.AddRange(["-d", Path.Combine(DumpDirectory, "%M."), SocketPath is null ? $"127.0.0.1:{Port}" : $"unix:{SocketPath}", "10"]);
            var start = new ProcessStartInfo("/usr/sbin/smtp-sink") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in arguments)
                start.ArgumentList.Add(a);
            _process = Process.Start(start)!;
            if (WaitUntilListening())
                return;
            _process.Kill();
            _process.Dispose();
            if (attempt == 3)
                throw new InvalidOperationException("smtp-sink did not start");
        }
    }

    public int Port { get; private set; }

    /// <summary>The UNIX-domain socket smtp-sink listens on, or null for TCP.</summary>
    public string? SocketPath { get; }
    public string DumpDirectory { get; }

    /// <summary>The dump files written so far, waiting up to a few seconds for <paramref name="count"/> of them.</summary>
    public async Task<string[]> DumpsAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string[] files;
        while ((files = Directory.GetFiles(DumpDirectory)).Length < count && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        await Task.Delay(100); // smtp-sink closes the file after its 250 reply
        return files.Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
    }

    private bool WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if (SocketPath is null)
                {
                    using var probe = new TcpClient();
                    probe.Connect(IPAddress.Loopback, Port);
                }
                else
                {
                    using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    probe.Connect(new UnixDomainSocketEndPoint(SocketPath));
                }
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        return false;
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
        Directory.Delete(DumpDirectory, recursive: true);
        if (SocketPath is not null)
            Directory.Delete(Path.GetDirectoryName(SocketPath)!, recursive: true);
    }
}

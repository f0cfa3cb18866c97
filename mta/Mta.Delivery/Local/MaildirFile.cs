using System.Globalization;

namespace Mta.Delivery.Local;

/// <summary>
/// Delivers one message into a Maildir as maildir.c does: missing tmp/, new/ and cur/ are created (0700), the
/// message is written and fsynced under tmp/, then linked into new/ under a name unique on this host, and the tmp/
/// name removed. Names are "SECONDS.MusecPpidQn.HOSTNAME": Postfix uses VdevIinode for the middle part, which .NET
/// cannot read without native calls; microseconds, process ID and a per-process counter are also unique per host
/// (cr.yp.to/proto/maildir.html lists M, P and Q as delivery identifiers).
/// </summary>
public static class MaildirFile
{
    private static long _counter;
    private static readonly string HostPart = SafeHostName(Environment.MachineName);

    /// <summary>Writes the message into maildir/new; <paramref name="sizeLimit"/> (0 = none) caps the message file as Postfix's file size limit does.</summary>
    public static async ValueTask<MailboxWriteResult> DeliverAsync(string maildir, long sizeLimit, Func<Stream, CancellationToken, ValueTask> copy,
        CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        long seconds = now.ToUnixTimeSeconds();
        long micros = (now.UtcTicks / 10) % 1_000_000;
        long count = Interlocked.Increment(ref _counter);
        int pid = Environment.ProcessId;
        var tmpDir = Path.Combine(maildir, "tmp");
        var newDir = Path.Combine(maildir, "new");
        var tmpFile = Path.Combine(tmpDir, $"{seconds}.P{pid}Q{count}.{HostPart}");
        var newFile = Path.Combine(newDir, string.Create(CultureInfo.InvariantCulture, $"{seconds}.M{micros}P{pid}Q{count}.{HostPart}"));
        try
        {
            foreach (var dir in new[] { tmpDir, newDir, Path.Combine(maildir, "cur") })
                UnixFiles.CreatePrivateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return MailboxWriteResult.Failed("5.2.0", $"create maildir file {tmpFile}: {DotLock.Describe(e)}");
        }
        try
        {
            await using (var stream = new FileStream(tmpFile, UnixFiles.Options(FileMode.CreateNew, FileAccess.Write)))
            {
                await copy(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                if (sizeLimit > 0 && stream.Length > sizeLimit)
                {
                    await stream.DisposeAsync();
                    TryDelete(tmpFile);
                    return MailboxWriteResult.Failed("5.2.2", "error writing message: File too large");
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmpFile, newFile, overwrite: false);
            return MailboxWriteResult.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmpFile);
            var dsn = e.Message.Contains("space", StringComparison.OrdinalIgnoreCase) ? "4.3.1" : "5.2.0";
            return MailboxWriteResult.Failed(dsn, $"create maildir file {tmpFile}: {DotLock.Describe(e)}");
        }
        catch
        {
            TryDelete(tmpFile);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    // cr.yp.to: replace "/" with \057 and ":" with \072 in the host name part.
    private static string SafeHostName(string host) => host.Replace("/", "\\057").Replace(":", "\\072");
}

namespace Mta.Master;

/// <summary>
/// $queue_directory/pid/master.pid, which `postfix status|stop|reload` read. A second master for the same queue
/// finds the first one's live PID in it and refuses to start (Postfix: "the Postfix mail system is already
/// running"); a stale file (dead PID, or our own PID reused after a container restart) is taken over.
/// </summary>
internal sealed class PidFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _path;

    private PidFile(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    /// <summary>Takes the pid file for this process; null when another live master holds it.</summary>
    public static PidFile? TryAcquire(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var existing = ReadPid(path);
        if (existing is int other && other != Environment.ProcessId && ProcessSignals.IsAlive(other))
            return null;
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (IOException)
        {
            return null;
        }
        // Same shape as Postfix's: the PID right-aligned in a fixed-width field, then a newline.
        stream.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId,10}\n"));
        stream.Flush(flushToDisk: true);
        return new PidFile(stream, path);
    }

    /// <summary>The PID recorded in the file, or null when there is none.</summary>
    public static int? ReadPid(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return int.TryParse(reader.ReadLine()?.Trim(), out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The PID of a live master for this pid file, or null.</summary>
    public static int? RunningMaster(string path) =>
        ReadPid(path) is int pid && ProcessSignals.IsAlive(pid) ? pid : null;

    public void Dispose()
    {
        _stream.Dispose();
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
            // Nothing to clean: the next master overwrites it.
        }
    }
}

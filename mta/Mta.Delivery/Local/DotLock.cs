namespace Mta.Delivery.Local;

/// <summary>
/// dot_lockfile(3): "path.lock" created exclusively, retried deliver_lock_attempts times deliver_lock_delay apart,
/// and removed when older than stale_lock_time (its holder died). Disposing removes the lock.
/// </summary>
public sealed class DotLock : IDisposable
{
    private readonly string _lockPath;

    private DotLock(string lockPath) => _lockPath = lockPath;

    /// <summary>Takes the lock, or returns null with the reason (Postfix's "unable to create lock file ..." text).</summary>
    public static async ValueTask<(DotLock? Lock, string Why)> AcquireAsync(string path, MailboxLockSettings settings,
        CancellationToken cancellationToken)
    {
        var lockPath = path + ".lock";
        string why = "";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using (new FileStream(lockPath, UnixFiles.Options(FileMode.CreateNew, FileAccess.Write)))
                {
                }
                return (new DotLock(lockPath), "");
            }
            catch (IOException e) when (File.Exists(lockPath))
            {
                why = $"unable to create lock file {lockPath}: {Describe(e)}";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, $"unable to create lock file {lockPath}: {Describe(e)}");
            }
            if (attempt >= settings.Attempts)
                return (null, why);
            RemoveIfStale(lockPath, settings.StaleLockTime);
            await Task.Delay(settings.Delay, cancellationToken);
        }
    }

    public void Dispose()
    {
        try { File.Delete(_lockPath); }
        catch (IOException) { }
    }

    private static void RemoveIfStale(string lockPath, TimeSpan staleAfter)
    {
        try
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(lockPath) > staleAfter)
                File.Delete(lockPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    internal static string Describe(Exception e) => e switch
    {
        UnauthorizedAccessException => "Permission denied",
        IOException when e.Message.Contains("exists", StringComparison.OrdinalIgnoreCase) => "File exists",
        _ => e.Message,
    };
}

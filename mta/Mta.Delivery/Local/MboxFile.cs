namespace Mta.Delivery.Local;

/// <summary>
/// Appends one message to a UNIX mailbox file as mbox_open(3) and mail_copy(3) do: create it (mode 0600) when
/// missing, take the configured locks (dotlock first, then fcntl/flock), write at the end, fsync, and on any failure
/// truncate the file back to its old length so a half-written message never shows. The file keeps its owner
/// (this process does not chown: run as the mailbox owner or as root on files root may write).
/// </summary>
public static class MboxFile
{
    /// <summary>
    /// Appends what <paramref name="copy"/> writes. <paramref name="sizeLimit"/> (mailbox_size_limit; 0 = none)
    /// caps the file's size as Postfix's file size limit does. A dotlock that cannot be created for lack of
    /// permission is skipped when <paramref name="dotLockMayFail"/> (deliveries to /file/name).
    /// </summary>
    public static async ValueTask<MailboxWriteResult> AppendAsync(string path, MailboxLockSettings locks, long sizeLimit,
        bool dotLockMayFail, Func<Stream, CancellationToken, ValueTask> copy, CancellationToken cancellationToken)
    {
        // Devices such as /dev/null take no locks, no truncation and no fsync (mail_copy without MAIL_COPY_TOFILE).
        bool regular = !path.StartsWith("/dev/", StringComparison.Ordinal);
        DotLock? dotLock = null;
        try
        {
            if (regular && locks.DotLock)
            {
                var (taken, why) = await DotLock.AcquireAsync(path, locks, cancellationToken);
                if (taken is null && !(dotLockMayFail && why.EndsWith("Permission denied", StringComparison.Ordinal)))
                    return MailboxWriteResult.Failed("4.2.0", why);
                dotLock = taken;
            }
            var (stream, lockWhy) = await OpenLockedAsync(path, locks, regular, cancellationToken);
            if (stream is null)
                return MailboxWriteResult.Failed(lockWhy.StartsWith("unable to lock", StringComparison.Ordinal) ? "4.2.0" : "5.2.0", lockWhy);
            await using (stream)
                return await WriteAsync(stream, regular, sizeLimit, copy, cancellationToken);
        }
        finally
        {
            dotLock?.Dispose();
        }
    }

    private static async ValueTask<MailboxWriteResult> WriteAsync(FileStream stream, bool regular, long sizeLimit,
        Func<Stream, CancellationToken, ValueTask> copy, CancellationToken cancellationToken)
    {
        long originalLength = regular ? stream.Seek(0, SeekOrigin.End) : 0;
        try
        {
            await copy(stream, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            if (regular && sizeLimit > 0 && stream.Length > sizeLimit)
            {
                stream.SetLength(originalLength);
                return MailboxWriteResult.Failed("5.2.2", "error writing message: File too large");
            }
            if (regular)
                stream.Flush(flushToDisk: true);
            return MailboxWriteResult.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (regular)
            {
                try { stream.SetLength(originalLength); }
                catch (IOException) { }
            }
            return MailboxWriteResult.Failed("5.2.0", $"error writing message: {e.Message}");
        }
    }

    private static async ValueTask<(FileStream? Stream, string Why)> OpenLockedAsync(string path, MailboxLockSettings locks,
        bool regular, CancellationToken cancellationToken)
    {
        // FileShare.None makes .NET take flock(LOCK_EX|LOCK_NB); FileStream.Lock is fcntl(F_SETLK) on the whole file.
        var share = regular && locks.Flock ? FileShare.None : FileShare.ReadWrite;
        string why = "";
        for (var attempt = 1; ; attempt++)
        {
            FileStream? stream = null;
            try
            {
                stream = new FileStream(path, regular
                    ? UnixFiles.Options(FileMode.OpenOrCreate, FileAccess.Write, share)
                    : UnixFiles.Options(FileMode.Open, FileAccess.Write, share));
                if (regular && locks.Fcntl)
                    UnixFiles.LockWholeFile(stream);
                return (stream, "");
            }
            catch (UnauthorizedAccessException e)
            {
                stream?.Dispose();
                return (null, $"cannot open file: {DotLock.Describe(e)}");
            }
            catch (IOException e) when (e is DirectoryNotFoundException or FileNotFoundException)
            {
                stream?.Dispose();
                return (null, $"cannot open file: No such file or directory");
            }
            catch (IOException)
            {
                stream?.Dispose();
                why = "unable to lock for exclusive access: Resource temporarily unavailable";
            }
            if (attempt >= locks.Attempts)
                return (null, why);
            await Task.Delay(locks.Delay, cancellationToken);
        }
    }
}

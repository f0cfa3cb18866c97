namespace Mta.Delivery.Local;

/// <summary>The UNIX file modes and locks mailbox delivery needs, guarded so the library still builds for every platform.</summary>
public static class UnixFiles
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Options for opening a file; a file this creates gets mode 0600 (Postfix creates mailboxes that way).</summary>
    public static FileStreamOptions Options(FileMode mode, FileAccess access, FileShare share = FileShare.ReadWrite)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows() && mode is FileMode.CreateNew or FileMode.OpenOrCreate or FileMode.Create)
            options.UnixCreateMode = Private;
        return options;
    }

    /// <summary>mkdir -p with mode 0700 for the directories we create (maildir tmp/new/cur).</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, Private | UnixFileMode.UserExecute);
    }

    public static bool IsWorldWritable(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.OtherWrite) != 0;

    public static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & AnyExecute) != 0;

    /// <summary>fcntl(F_SETLK) on the whole file (l_len = 0); throws IOException when another process holds it.</summary>
    public static void LockWholeFile(FileStream stream)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD())
            stream.Lock(0, 0);
    }
}

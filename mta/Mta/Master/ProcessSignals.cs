using System.Runtime.InteropServices;

namespace Mta.Master;

/// <summary>
/// Signals between `postfix stop|reload|status` and a running master, as Postfix's postfix-script does with kill(1).
/// .NET can receive signals but not send them to another process, so this calls libc's kill(2).
/// </summary>
internal static class ProcessSignals
{
    public const int SigHup = 1;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>True when the signal was delivered.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>kill(pid, 0): does the process exist (and may we signal it)?</summary>
    public static bool IsAlive(int pid) => pid > 0 && Kill(pid, 0) == 0;
}

namespace Mta.Commands.Queue;

/// <summary>
/// What Postfix reports with msg_fatal_status(): "PROGRAM: fatal: MESSAGE" on stderr and this exit status,
/// optionally after getopt's own complaint ("PROGRAM: invalid option -- 'x'"), which has no "fatal:" label.
/// </summary>
internal sealed class FatalError(string message, int status = 1, string? getoptComplaint = null) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>Writes the lines Postfix writes and returns the exit status.</summary>
    public int Report(string program, TextWriter err)
    {
        if (getoptComplaint is not null)
            err.WriteLine($"{program}: {getoptComplaint}");
        err.WriteLine($"{program}: fatal: {Message}");
        return Status;
    }
}

/// <summary>sysexits(3) codes, as Postfix's commands use them.</summary>
internal static class ExitStatus
{
    public const int Usage = 64;
    public const int Unavailable = 69;
    public const int Software = 70;
}

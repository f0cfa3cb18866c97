using System.Globalization;

namespace Mta.Smtp;

/// <summary>
/// The maillog_file format: "Mon DD HH:MM:SS host program[pid]: text", one line per event
/// (host = first label of myhostname). Lines are written whole under a lock so sessions never interleave.
/// </summary>
public sealed class PostfixLogWriter(TextWriter output, string myHostname, TimeProvider? clock = null) : IMailLog
{
    private readonly string _host = myHostname.Split('.')[0];
    private readonly int _pid = Environment.ProcessId;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _gate = new();

    public void Write(string program, string text)
    {
        var now = _clock.GetLocalNow();
        // %b %e: month abbreviation and space-padded day, as syslog and postlogd write them.
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{now:MMM} {now.Day,2} {now:HH:mm:ss} {_host} {program}[{_pid}]: {text}");
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}

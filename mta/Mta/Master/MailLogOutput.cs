using Mta.Config;
using Mta.Smtp;

namespace Mta.Master;

/// <summary>
/// Opens the maillog for one instance: maillog_file when set (`/dev/stdout` in pods), else standard output —
/// there is no syslog daemon to hand lines to in a container, and a foreground master is watched on its stdout.
/// </summary>
internal static class MailLogOutput
{
    /// <param name="forCommand">A command (sendmail, postqueue) rather than the master: without maillog_file its lines
    /// are dropped, as they would go to syslog, rather than mixed into the command's own output.</param>
    public static (IMailLog Log, IDisposable? Owned) Open(ParameterSet parameters, bool forCommand = false)
    {
        var hostname = parameters.Get(ParameterCatalogue.MyHostname);
        var path = parameters.Get(ParameterCatalogue.MaillogFile);
        if (path.Length == 0 && forCommand)
            return (new PostfixLogWriter(TextWriter.Null, hostname), null);
        if (path.Length == 0 || path == "/dev/stdout")
            return (new PostfixLogWriter(Console.Out, hostname), null);
        if (path == "/dev/stderr")
            return (new PostfixLogWriter(Console.Error, hostname), null);
        var writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete));
        return (new PostfixLogWriter(writer, hostname), writer);
    }
}

namespace Mta.Smtp;

/// <summary>
/// Where Postfix-shaped log lines go. <paramref name="program"/> is the syslog tag ("postfix/smtpd");
/// <paramref name="text"/> is everything after "program[pid]: ", including a "warning: " label when it has one.
/// </summary>
public interface IMailLog
{
    void Write(string program, string text);
}

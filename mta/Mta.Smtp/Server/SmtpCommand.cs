namespace Mta.Smtp.Server;

/// <summary>Commands in Postfix's smtpd_cmd_table order (the order of the disconnect statistics).</summary>
internal enum SmtpCommand { Helo, Ehlo, Starttls, Auth, Mail, Rcpt, Data, Bdat, Rset, Noop, Vrfy, Etrn, Quit, Help, Unknown }

internal static class SmtpCommandTable
{
    public static readonly string[] Names =
        ["helo", "ehlo", "starttls", "auth", "mail", "rcpt", "data", "bdat", "rset", "noop", "vrfy", "etrn", "quit", "help", "unknown"];

    public static SmtpCommand Parse(ReadOnlySpan<char> verb) => verb switch
    {
        _ when verb.Equals("HELO", StringComparison.OrdinalIgnoreCase) => SmtpCommand.Helo,
        _ when verb.Equals("EHLO", StringComparison.OrdinalIgnoreCase) => SmtpCommand.Ehlo,
        _ when verb.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase) => SmtpCommand.Starttls,
        _ when verb.Equals("AUTH", StringComparison.OrdinalIgnoreCase) => SmtpCommand.Auth,
        _ when verb.Equals("MAIL", StringComparison.OrdinalIgnoreCase) => SmtpCommand.Mail,
        _ when verb.Equals("RCPT", StringComparison.OrdinalIgnoreCase) => SmtpCommand.Rcpt,
        _ when verb.Equals("DATA", StringComparison.OrdinalIgnoreCase) => SmtpCommand.Data,
        _ when verb.Equals("BDAT", StringComparison.OrdinalIgnoreCase) => SmtpCommand.Bdat,
        _ when verb.Equals("RSET", StringComparison.OrdinalIgnoreCase) => SmtpCommand.Rset,
        _ when verb.Equals("NOOP", StringComparison.OrdinalIgnoreCase) => SmtpCommand.Noop,
        _ when verb.Equals("VRFY", StringComparison.OrdinalIgnoreCase) => SmtpCommand.Vrfy,
        _ when verb.Equals("ETRN", StringComparison.OrdinalIgnoreCase) => SmtpCommand.Etrn,
        _ when verb.Equals("QUIT", StringComparison.OrdinalIgnoreCase) => SmtpCommand.Quit,
        _ when verb.Equals("HELP", StringComparison.OrdinalIgnoreCase) => SmtpCommand.Help,
        _ => SmtpCommand.Unknown,
    };

    /// <summary>SMTPD_CMD_FLAG_LIMIT: counts toward smtpd_junk_command_limit.</summary>
    public static bool IsJunkLimited(SmtpCommand c) =>
        c is SmtpCommand.Helo or SmtpCommand.Ehlo or SmtpCommand.Rset or SmtpCommand.Noop or SmtpCommand.Vrfy or SmtpCommand.Etrn;

    /// <summary>SMTPD_CMD_FLAG_PRE_TLS: allowed before STARTTLS when TLS is required.</summary>
    public static bool IsAllowedBeforeTls(SmtpCommand c) =>
        c is SmtpCommand.Helo or SmtpCommand.Ehlo or SmtpCommand.Starttls or SmtpCommand.Noop or SmtpCommand.Quit or SmtpCommand.Help;

    /// <summary>SMTPD_CMD_FLAG_LAST: must be the last command of a PIPELINING group.</summary>
    public static bool IsLastInGroup(SmtpCommand c) =>
        c is SmtpCommand.Helo or SmtpCommand.Ehlo or SmtpCommand.Data or SmtpCommand.Noop or SmtpCommand.Vrfy;
}

namespace Mta.Commands.Queue;

/// <summary>Which configuration directory a command reads: -c DIR, else $MAIL_CONFIG, else /etc/postfix (as Postfix).</summary>
internal static class ConfigDirectory
{
    public const string Default = "/etc/postfix";

    public static string Resolve(string? fromCommandLine)
    {
        if (!string.IsNullOrEmpty(fromCommandLine))
            return fromCommandLine;
        var fromEnvironment = Environment.GetEnvironmentVariable("MAIL_CONFIG");
        return string.IsNullOrEmpty(fromEnvironment) ? Default : fromEnvironment;
    }
}

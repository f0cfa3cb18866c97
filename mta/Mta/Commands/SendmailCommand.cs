using Mta.Commands.Sendmail;
using Mta.Config;
using Mta.Master;
using Mta.Queue;

namespace Mta.Commands;

/// <summary>
/// sendmail(1), as MUAs and cron call /usr/sbin/sendmail: reads a message on standard input and queues it for the
/// recipients on the command line (or, with -t, in its headers). Exit codes are sysexits(3)'s, as Postfix's.
/// </summary>
internal static class SendmailCommand
{
    private const int ExUsage = 64, ExSoftware = 70, ExTempFail = 75, ExConfig = 78;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter err) =>
        Run(args, Console.In, output, err);

    public static int Run(IReadOnlyList<string> args, TextReader input, TextWriter output, TextWriter err)
    {
        if (SendmailOptions.TryParse(args, out var options) is string usage)
        {
            err.WriteLine($"sendmail: fatal: {usage}");
            return ExUsage;
        }
        var configDirectory = options.ConfigDirectory ?? Environment.GetEnvironmentVariable("MAIL_CONFIG") ?? "/etc/postfix";
        switch (options.Mode)
        {
            case SendmailOptions.RunMode.Daemon:
                return PostfixCommand.Run(["-c", configDirectory, "start"], output, err);
            case SendmailOptions.RunMode.PrintQueue:
                return Queue.PostqueueCommand.Run(["-c", configDirectory, "-p"], output, err);
            case SendmailOptions.RunMode.Flush:
                return Queue.PostqueueCommand.Run(options switch
                {
                    { FlushQueueId: { } id } => ["-c", configDirectory, "-i", id],
                    { FlushSite: { } site } => ["-c", configDirectory, "-s", site],
                    _ => ["-c", configDirectory, "-f"],
                }, output, err);
            case SendmailOptions.RunMode.Aliases:
                return Tables.NewaliasesCommand.Run(configDirectory, err);
            case SendmailOptions.RunMode.Smtp:
                err.WriteLine($"sendmail: fatal: mode {options.Mode} is not yet implemented (arrives with the queue manager issue)");
                return ExSoftware;
        }

        InstanceConfig config;
        try
        {
            config = InstanceConfig.Load(configDirectory);
        }
        catch (ConfigException e)
        {
            err.WriteLine($"sendmail: fatal: {e.Message}");
            return ExConfig;
        }
        var message = SubmittedMessage.Read(input, options.IgnoreDots);
        var recipients = options.Recipients.ToList();
        if (options.ExtractRecipients)
        {
            recipients.AddRange(message.ExtractRecipients());
            message.RemoveBcc();
            if (recipients.Count == 0)
            {
                err.WriteLine("sendmail: fatal: No recipient addresses found in message header");
                return ExUsage;
            }
        }
        else if (recipients.Count == 0)
        {
            err.WriteLine("sendmail: fatal: Recipient addresses must be specified on the command line or via the -t option");
            return ExUsage;
        }

        var (log, owned) = MailLogOutput.Open(config.Parameters, forCommand: true);
        using var _ = owned;
        try
        {
            LocalSubmission.EnqueueAsync(config, options, message, recipients, log, CancellationToken.None).GetAwaiter().GetResult();
            return 0;
        }
        catch (Exception e) when (e is QueueUnavailableException or IOException or FormatException)
        {
            err.WriteLine($"sendmail: fatal: queue file write error: {e.Message}");
            return ExTempFail;
        }
    }
}

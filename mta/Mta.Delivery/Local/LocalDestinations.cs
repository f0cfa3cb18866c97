using Mta.Queue;

namespace Mta.Delivery.Local;

/// <summary>
/// The final destinations of local(8): the user's mailbox (mailbox.c), a /file/name (file.c), a Maildir/ path
/// (maildir.c) and a |command (command.c), each writing the message in mail_copy() form with Postfix's status
/// texts ("delivered to mailbox", "delivered to maildir", "delivered to file: /path", "delivered to command: cmd").
/// </summary>
public sealed class LocalDestinations(LocalSettings settings)
{
    /// <summary>deliver_mailbox(): mailbox_transport (not supported), mailbox_command, home_mailbox, mail_spool_directory.</summary>
    public async ValueTask DeliverToMailboxAsync(RecipientJob job, ExpansionState state, LocalUser user, CancellationToken ct)
    {
        if (settings.MailboxTransport.Length > 0 || settings.MailboxTransportMaps.Count > 0)
        {
            // Handing mail to another transport from inside a delivery agent needs the queue manager; not built.
            job.Report(state, RecipientOutcome.Deferred("4.3.5",
                "mail system configuration error: mailbox_transport and mailbox_transport_maps are not supported by this local delivery agent"));
            return;
        }
        if (!job.FirstTime($"mailbox {state.User}"))
            return;
        state = state with { UserAttributes = state.UserAttributes ?? user.Passwd };
        if (settings.MailboxCommand.Length > 0)
        {
            // mailbox_command is not $-expanded (Postfix leaves $VARIABLES to the shell).
            await RunCommandAsync(job, state, settings.MailboxCommand, ct);
            return;
        }
        string path;
        if (settings.HomeMailbox.Length > 0)
            path = Path.Combine(user.Home ?? Path.Combine(settings.MailSpoolDirectory, state.User), settings.HomeMailbox);
        else
            path = settings.MailSpoolDirectory.TrimEnd('/') + "/" + state.User + (settings.MailSpoolDirectory.EndsWith('/') ? "/" : "");

        if (path.EndsWith('/'))
        {
            await DeliverToMaildirAsync(job, state, path, ct);
            return;
        }
        // Pods: the spool (or the home made under it) may not exist yet; a host's /var/mail always does.
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var written = await MboxFile.AppendAsync(path, settings.Locking, settings.MailboxSizeLimit, dotLockMayFail: false,
            Copier(job, state, MailCopyOptions.Mbox), ct);
        job.Report(state, written.Succeeded
            ? RecipientOutcome.Delivered("2.0.0", "delivered to mailbox")
            : Failure(written, $"cannot update mailbox {path} for user {state.User}. {written.Why}"));
    }

    private async ValueTask DeliverToMaildirAsync(RecipientJob job, ExpansionState state, string path, CancellationToken ct)
    {
        var result = await MaildirFile.DeliverAsync(path, settings.MailboxSizeLimit, Copier(job, state, MailCopyOptions.Maildir), ct);
        job.Report(state, result.Succeeded
            ? RecipientOutcome.Delivered("2.0.0", "delivered to maildir")
            : Failure(result, $"maildir delivery failed: {result.Why}"));
    }

    /// <summary>deliver_file(): append to /file/name (mbox format), or a Maildir when the name ends in "/".</summary>
    public async ValueTask DeliverToFileAsync(RecipientJob job, ExpansionState state, string path, CancellationToken ct)
    {
        if (!job.FirstTime($"file {path}"))
            return;
        if ((settings.FilesAllowedFrom & state.ExpansionType) == 0)
        {
            job.Report(state, RecipientOutcome.Bounced("5.7.1", "mail to file is restricted"));
            return;
        }
        if (path.EndsWith('/'))
        {
            await DeliverToMaildirAsync(job, state, path, ct);
            return;
        }
        if (File.Exists(path) && UnixFiles.IsExecutable(path)
            && !path.StartsWith("/dev/", StringComparison.Ordinal))
        {
            job.Report(state, RecipientOutcome.Bounced("5.0.0", $"cannot append message to destination file {path}: destination file is executable"));
            return;
        }
        var options = MailCopyOptions.Mbox;
        if ((settings.PrependDeliveredHeader & DeliveredHeaderMask.File) == 0)
            options &= ~MailCopyOptions.DeliveredTo;
        var written = await MboxFile.AppendAsync(path, settings.Locking, sizeLimit: settings.MailboxSizeLimit, dotLockMayFail: true,
            Copier(job, state, options), ct);
        job.Report(state, written.Succeeded
            ? RecipientOutcome.Delivered("2.0.0", $"delivered to file: {path}")
            : Failure(written, $"cannot append message to destination file {path}: {written.Why}"));
    }

    /// <summary>deliver_command(): "|command" through the shell.</summary>
    public async ValueTask DeliverToCommandAsync(RecipientJob job, ExpansionState state, string command, CancellationToken ct)
    {
        if (!job.FirstTime($"command {state.User} {command}"))
            return;
        await RunCommandAsync(job, state, command, ct);
    }

    private async ValueTask RunCommandAsync(RecipientJob job, ExpansionState state, string command, CancellationToken ct)
    {
        var options = MailCopyOptions.Command;
        if ((settings.PrependDeliveredHeader & DeliveredHeaderMask.Command) != 0)
            options |= MailCopyOptions.DeliveredTo;
        var directory = settings.CommandExecutionDirectory.Length == 0 ? null
            : LocalAttributes.Expand(settings.CommandExecutionDirectory, state, settings);
        var outcome = await new CommandRunner(settings.LocalCommandShell, settings.CommandTimeLimit, directory).RunAsync(command, Environment(state), Copier(job, state, options), ct);
        job.Report(state, outcome);
    }

    private Dictionary<string, string> Environment(ExpansionState state)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["LOGNAME"] = state.User,
            ["USER"] = state.User,
            ["SENDER"] = state.Sender,
            ["RECIPIENT"] = state.Address,
            ["LOCAL"] = state.Local,
        };
        if (state.UserAttributes is { } pw)
        {
            env["HOME"] = pw.Home;
            env["SHELL"] = pw.Shell;
        }
        if (state.Domain is not null)
            env["DOMAIN"] = state.Domain;
        if (state.Extension is not null)
            env["EXTENSION"] = state.Extension;
        if (state.OriginalRecipient.Length > 0)
            env["ORIGINAL_RECIPIENT"] = state.OriginalRecipient;
        // command_expansion_filter: characters outside the allowed set become "_" (no shell tricks via addresses).
        foreach (var name in env.Keys.ToList())
            env[name] = string.Concat(env[name].Select(c => settings.CommandExpansionFilter.Contains(c) ? c : '_'));
        return env;
    }

    private static Func<Stream, CancellationToken, ValueTask> Copier(RecipientJob job, ExpansionState state, MailCopyOptions options) =>
        async (destination, ct) =>
        {
            await using var body = await job.Request.OpenBody(ct);
            var envelope = new MailCopyEnvelope(state.Sender, state.OriginalRecipient, state.Delivered ?? state.Address, DateTimeOffset.Now);
            await MailCopier.CopyAsync(body, destination, options, envelope, ct);
        };

    private static RecipientOutcome Failure(MailboxWriteResult result, string reason) =>
        result.IsTemporary ? RecipientOutcome.Deferred(result.Dsn, reason) : RecipientOutcome.Bounced(result.Dsn, reason);
}

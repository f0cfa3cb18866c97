using System.Globalization;
using System.Text;
using Mta.Delivery.Agents;
using Mta.Queue;

namespace Mta.Delivery.Smtp;

/// <summary>
/// One mail transaction on an open session (smtp_xfer() in smtp_proto.c): MAIL FROM with SIZE/BODY/DSN/SMTPUTF8
/// as offered, RCPT TO per pending recipient with NOTIFY/ORCPT, DATA, the stored bytes, and the end-of-data
/// reply (one for SMTP, one per accepted recipient for LMTP). With PIPELINING, MAIL, RCPTs and DATA go out
/// in one write. Protocol trouble throws <see cref="SmtpSessionException"/>; reply codes become results.
/// </summary>
internal static class SmtpTransfer
{
    private const string SendingEndOfData = "sending end of data -- message may be sent more than once";

    public static async ValueTask RunAsync(SmtpSession session, DeliveryRequest request, DeliveryAttempt attempt,
        SmtpClientSettings settings, bool finalServer, CancellationToken cancellationToken)
    {
        var connection = session.Connection;
        var target = session.Target;
        var features = session.Features;
        session.TransactionCount++;
        attempt.SetupDone();
        var recipients = attempt.Pending.ToArray();
        var envelope = request.Message.Envelope;

        if (RequiresSmtputf8(envelope, settings) && !features.Smtputf8)
        {
            // Another server may support it: kept (soft) unless this was the last one to try (Postfix 3.11).
            var text = $"message requires SMTPUTF8, but no server was found that supports SMTPUTF8. The last attempted server was {target.NameAddress}";
            attempt.FailAll(new SmtpFailure(finalServer ? "5.6.7" : "4.6.7", text), finalServer, target.Relay);
            return;
        }
        if (features.SizeLimit > 0 && features.SizeLimit < request.Message.Size)
        {
            attempt.FailAll(new SmtpFailure("5.3.4", string.Create(CultureInfo.InvariantCulture,
                $"message size {request.Message.Size} exceeds size limit {features.SizeLimit} of server {target.NameAddress}")),
                finalServer: true, target.Relay);
            return;
        }

        Stream body;
        try
        {
            body = await request.OpenBody(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            attempt.FailAll(new SmtpFailure("4.3.0", $"local data error while talking to {target.NameAddress}"), finalServer: true, target.Relay);
            return;
        }
        await using var _ = body.ConfigureAwait(false);

        var pipelining = features.Pipelining;
        connection.Append(MailCommand(request, features, settings));
        if (pipelining)
        {
            foreach (var r in recipients)
                connection.Append(RcptCommand(r, features));
            connection.Append("DATA");
        }
        await connection.FlushAsync(settings.MailTimeout, "sending MAIL FROM", cancellationToken).ConfigureAwait(false);

        var mail = await connection.ReadReplyAsync(settings.MailTimeout, "sending MAIL FROM", cancellationToken).ConfigureAwait(false);
        if (!mail.IsPositive)
        {
            if (pipelining)
                await DrainAsync(connection, recipients.Length, settings, cancellationToken).ConfigureAwait(false);
            attempt.FailAll(Said(target, mail, "MAIL FROM command"), finalServer, target.Relay);
            return;
        }

        var accepted = new List<DeliveryRecipient>(recipients.Length);
        foreach (var recipient in recipients)
        {
            if (!pipelining)
            {
                connection.Append(RcptCommand(recipient, features));
                await connection.FlushAsync(settings.RcptTimeout, "sending RCPT TO", cancellationToken).ConfigureAwait(false);
            }
            var rcpt = await connection.ReadReplyAsync(settings.RcptTimeout, "sending RCPT TO", cancellationToken).ConfigureAwait(false);
            if (rcpt.IsPositive)
                accepted.Add(recipient);
            else
                attempt.Fail(recipient, Said(target, rcpt, "RCPT TO command"), finalServer, target.Relay);
        }

        if (!pipelining)
        {
            if (accepted.Count == 0)
                return;
            connection.Append("DATA");
            await connection.FlushAsync(settings.DataInitTimeout, "sending DATA command", cancellationToken).ConfigureAwait(false);
        }
        var data = await connection.ReadReplyAsync(settings.DataInitTimeout, "sending DATA command", cancellationToken).ConfigureAwait(false);
        if (accepted.Count == 0)
        {
            // Pipelined DATA after every RCPT was refused: a server that still says 354 gets an empty message.
            if (data.IsIntermediate)
            {
                await connection.WriteAsync(".\r\n"u8.ToArray(), settings.DataXferTimeout, "sending message body", cancellationToken).ConfigureAwait(false);
                await connection.ReadReplyAsync(settings.DataDoneTimeout, SendingEndOfData, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        if (!data.IsIntermediate)
        {
            foreach (var recipient in accepted)
                attempt.Fail(recipient, Said(target, data, "DATA command"), finalServer, target.Relay);
            return;
        }

        // From here a broken connection leaves the outcome unknown: the session is not reused.
        session.Reusable = false;
        await DotStuffingWriter.SendAsync(body, connection, settings.DataXferTimeout, cancellationToken).ConfigureAwait(false);
        if (settings.Lmtp)
        {
            foreach (var recipient in accepted)
            {
                var reply = await connection.ReadReplyAsync(settings.DataDoneTimeout, SendingEndOfData, cancellationToken).ConfigureAwait(false);
                if (reply.IsPositive)
                    attempt.Delivered(recipient, reply, target);
                else
                    attempt.Fail(recipient, Said(target, reply, "end of DATA command"), finalServer, target.Relay);
            }
        }
        else
        {
            var reply = await connection.ReadReplyAsync(settings.DataDoneTimeout, SendingEndOfData, cancellationToken).ConfigureAwait(false);
            foreach (var recipient in accepted)
            {
                if (reply.IsPositive)
                    attempt.Delivered(recipient, reply, target);
                else
                    attempt.Fail(recipient, Said(target, reply, "end of DATA command"), finalServer, target.Relay);
            }
        }
        session.Reusable = true;
    }

    // After a refused pipelined MAIL FROM: read the RCPT and DATA replies that are still coming.
    private static async ValueTask DrainAsync(SmtpConnection connection, int recipients, SmtpClientSettings settings, CancellationToken cancellationToken)
    {
        for (var i = 0; i < recipients; i++)
            await connection.ReadReplyAsync(settings.RcptTimeout, "sending RCPT TO", cancellationToken).ConfigureAwait(false);
        var data = await connection.ReadReplyAsync(settings.DataInitTimeout, "sending DATA command", cancellationToken).ConfigureAwait(false);
        if (data.IsIntermediate)
        {
            await connection.WriteAsync(".\r\n"u8.ToArray(), settings.DataXferTimeout, "sending message body", cancellationToken).ConfigureAwait(false);
            await connection.ReadReplyAsync(settings.DataDoneTimeout, SendingEndOfData, cancellationToken).ConfigureAwait(false);
        }
    }

    private static SmtpFailure Said(SmtpTarget target, ServerReply reply, string command) =>
        new(reply.Dsn, $"host {target.NameAddress} said: {reply.Text} (in reply to {command})", target.HostName, reply.Text);

    /// <summary>
    /// The sender asked for SMTPUTF8 and the envelope needs it (a non-ASCII address). Postfix also looks at the
    /// headers (cleanup's detection); the queue does not record that, so headers are not considered here.
    /// </summary>
    internal static bool RequiresSmtputf8(Envelope envelope, SmtpClientSettings settings) =>
        settings.Smtputf8Enable && envelope.Smtputf8 &&
        (!Ascii.IsValid(envelope.Sender) || envelope.Recipients.Any(r => !Ascii.IsValid(r.Address)));

    internal static string MailCommand(DeliveryRequest request, EhloFeatures features, SmtpClientSettings settings)
    {
        var envelope = request.Message.Envelope;
        var command = new StringBuilder("MAIL FROM:<").Append(envelope.Sender).Append('>');
        if (features.Size)
            command.Append(" SIZE=").Append(request.Message.Size.ToString(CultureInfo.InvariantCulture));
        if (features.EightBitMime && envelope.Body8Bit)
            command.Append(" BODY=8BITMIME");
        if (features.Dsn)
        {
            if (!string.IsNullOrEmpty(envelope.EnvId))
                command.Append(" ENVID=").Append(XText(envelope.EnvId));
            if (envelope.Ret is { } ret)
                command.Append(ret == DsnRet.Full ? " RET=FULL" : " RET=HDRS");
        }
        if (features.Smtputf8 && envelope.Smtputf8 && settings.Smtputf8Enable)
            command.Append(" SMTPUTF8");
        return command.ToString();
    }

    internal static string RcptCommand(DeliveryRecipient recipient, EhloFeatures features)
    {
        var command = new StringBuilder("RCPT TO:<").Append(recipient.Address).Append('>');
        if (features.Dsn)
        {
            var orcpt = recipient.Envelope.Orcpt;
            if (string.IsNullOrEmpty(orcpt))
            {
                var original = recipient.Envelope.OriginalAddress ?? recipient.Envelope.Address;
                orcpt = original.Length == 0 ? null : "rfc822;" + original;
            }
            if (orcpt is not null)
                command.Append(" ORCPT=").Append(XText(orcpt));
            var notify = recipient.Envelope.Notify;
            if (notify != DsnNotify.Default)
                command.Append(" NOTIFY=").Append(NotifyText(notify));
        }
        return command.ToString();
    }

    private static string NotifyText(DsnNotify notify)
    {
        if (notify.HasFlag(DsnNotify.Never))
            return "NEVER";
        var parts = new List<string>(3);
        if (notify.HasFlag(DsnNotify.Success)) parts.Add("SUCCESS");
        if (notify.HasFlag(DsnNotify.Failure)) parts.Add("FAILURE");
        if (notify.HasFlag(DsnNotify.Delay)) parts.Add("DELAY");
        return string.Join(',', parts);
    }

    /// <summary>RFC 3461 xtext: "+", "=", controls, space and non-ASCII as "+HH" (UTF-8 bytes).</summary>
    internal static string XText(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is < 33 or > 126 or (byte)'+' or (byte)'=')
                text.Append('+').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            else
                text.Append((char)b);
        }
        return text.ToString();
    }
}

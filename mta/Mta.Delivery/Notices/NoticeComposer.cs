using System.Globalization;
using System.Text;
using Mta.Queue;
using Mta.Smtp.Server;

namespace Mta.Delivery.Notices;

/// <summary>
/// Writes one RFC 3464 notice exactly as Postfix's bounce(8) and cleanup(8) leave it in the queue
/// (bounce_notify_util.c): cleanup's Received:/Date:, the template headers, a multipart/report with the
/// human-readable "Notification", the machine-readable "Delivery report" and the returned message or headers,
/// then cleanup's Message-Id:. Every line ends in CRLF, as the queue stores mail.
/// </summary>
internal sealed class NoticeComposer(NoticeSettings settings, TimeZoneInfo zone)
{
    private const string Crlf = "\r\n";

    /// <summary>RFC 3464 diagnostic-type is an atom: mail_name with specials replaced (X-Postfix).</summary>
    private readonly string _mailNameAtom = string.Concat(settings.MailName.Select(c => " \t\r\n()<>@,;:\\\".[]".Contains(c) ? '-' : c));

    public async ValueTask WriteAsync(NoticeRequest request, Func<CancellationToken, ValueTask<Stream>> openOriginal,
        OriginalMessage.Sink sink, CancellationToken cancellationToken)
    {
        bool eightBit = UsesEightBitMime(request.Original.Envelope);
        var boundary = string.Create(CultureInfo.InvariantCulture,
            $"{request.Original.Id.Value}.{request.Now.ToUnixTimeSeconds()}/{settings.MyHostname}");
        string? originalMessageId = settings.ThreadedBounces ? await FindMessageIdAsync(openOriginal, cancellationToken).ConfigureAwait(false) : null;

        var text = new StringBuilder(2048);
        WriteHeaders(text, request, boundary, originalMessageId);
        WriteNotification(text, request, boundary, eightBit);
        WriteDeliveryReport(text, request, boundary, eightBit);
        await sink(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
        await WriteOriginalAsync(request, boundary, eightBit, openOriginal, sink, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The notice's MIME encoding (bounce_mail_alloc()): with smtputf8_enable every notice is 8bit, since addresses
    /// and $myhostname may be UTF-8 (Postfix fix 20140718); otherwise it follows the original's body.
    /// </summary>
    public bool UsesEightBitMime(Envelope original) => settings.Smtputf8Enable || original.Body8Bit;

    /// <summary>Whether the notice as a whole is declared 8bit (its top-level Content-Transfer-Encoding).</summary>
    public bool DeclaresEightBit(NoticeRequest request) => UsesEightBitMime(request.Original.Envelope) || request.Template.HasEightBitText;

    /// <summary>The notice's Message-Id: (cleanup's form, so the notice looks like any mail posted here).</summary>
    public string MessageId(NoticeRequest request) =>
        $"<{CleanupHeaders.MessageIdValue(settings.MyHostname, request.NoticeId, request.Now)}>";

    private void WriteHeaders(StringBuilder text, NoticeRequest request, string boundary, string? originalMessageId)
    {
        var date = MailDate.Format(request.Now, zone);
        // cleanup(8) prepends these for mail that bounce(8) posts (post_mail.c).
        Line(text, $"Received: by {settings.MyHostname} ({settings.MailName})");
        Line(text, $"\tid {request.NoticeId.Value}; {date}");
        Line(text, $"Date: {date}");
        // The template's "MAILER-DAEMON", completed with @$myorigin as cleanup's address rewriting does.
        var mailerDaemon = $"MAILER-DAEMON@{settings.MyOrigin}";
        Line(text, request.Template.From is { } from ? $"From: {QualifyHeaderAddress(from)}"
            : settings.StandardFromFormat ? $"From: Mail Delivery System <{mailerDaemon}>" : $"From: {mailerDaemon} (Mail Delivery System)");
        Line(text, $"Subject: {request.Template.SubjectFor(request.PostmasterCopy)}");
        Line(text, $"To: {AddressQuoting.External(request.To)}");
        if (originalMessageId is not null)
        {
            Line(text, $"References: {originalMessageId}");
            Line(text, $"In-Reply-To: {originalMessageId}");
        }
        Line(text, $"Auto-Submitted: {(request.PostmasterCopy ? "auto-generated" : "auto-replied")}");
        Line(text, "MIME-Version: 1.0");
        Line(text, "Content-Type: multipart/report; report-type=delivery-status;");
        Line(text, $"\tboundary=\"{boundary}\"");
        Line(text, $"Content-Transfer-Encoding: {(DeclaresEightBit(request) ? "8bit" : "7bit")}");
        // cleanup(8) adds the missing Message-Id: at the end of the header section.
        Line(text, $"Message-Id: {MessageId(request)}");
        Line(text, "");
        Line(text, "This is a MIME-encapsulated message.");
    }

    private void WriteNotification(StringBuilder text, NoticeRequest request, string boundary, bool eightBit)
    {
        Line(text, "");
        Line(text, $"--{boundary}");
        Line(text, "Content-Description: Notification");
        var charset = !string.Equals(request.Template.Charset, "us-ascii", StringComparison.OrdinalIgnoreCase) ? request.Template.Charset
            : eightBit ? "utf-8" : "us-ascii";
        Line(text, $"Content-Type: text/plain; charset={charset}");
        if (eightBit) Line(text, "Content-Transfer-Encoding: 8bit");
        Line(text, "");
        // Postmaster copies skip the polite boiler-plate: only the reasons.
        if (!request.PostmasterCopy)
            foreach (var line in request.Template.Expand(settings))
                Line(text, line);
        foreach (var recipient in request.Recipients)
        {
            Line(text, "");
            var original = OriginalAddress(request.Original, recipient) is { } address ? AddressQuoting.External(address) : null;
            var final = AddressQuoting.External(recipient.Address);
            var reason = Printable(recipient.Outcome.Reason);
            var entry = original is null
                ? $"<{final}>: {reason}"
                : $"<{final}> (expanded from <{original}>): {reason}";
            foreach (var piece in LineWrap.Wrap(entry))
                Line(text, piece);
        }
    }

    private void WriteDeliveryReport(StringBuilder text, NoticeRequest request, string boundary, bool eightBit)
    {
        var envelope = request.Original.Envelope;
        Line(text, "");
        Line(text, $"--{boundary}");
        Line(text, "Content-Description: Delivery report");
        Line(text, $"Content-Type: message/{(envelope.Smtputf8 ? "global-" : "")}delivery-status");
        if (eightBit && envelope.Smtputf8) Line(text, "Content-Transfer-Encoding: 8bit");
        Line(text, "");
        Line(text, $"Reporting-MTA: dns; {settings.MyHostname}");
        if (!string.IsNullOrEmpty(envelope.EnvId)) Line(text, $"Original-Envelope-Id: {envelope.EnvId}");
        Line(text, $"X-{_mailNameAtom}-Queue-ID: {request.Original.Id.Value}");
        var sender = SenderForReport(envelope);
        Line(text, $"X-{_mailNameAtom}-Sender: {AddressType(envelope, sender)}; {sender}");
        if (envelope.ArrivalTime > DateTimeOffset.UnixEpoch) Line(text, $"Arrival-Date: {MailDate.Format(envelope.ArrivalTime, zone)}");

        foreach (var recipient in request.Recipients)
        {
            Line(text, "");
            Line(text, $"Final-Recipient: {AddressType(envelope, recipient.Address)}; {AddressQuoting.External(recipient.Address)}");
            var orcpt = OriginalRecipientField(request.Original, recipient);
            if (orcpt is not null) Line(text, $"Original-Recipient: {orcpt}");
            Line(text, $"Action: {Action(request.Template.Kind, recipient)}");
            Line(text, $"Status: {recipient.Outcome.Dsn}");
            if (!string.IsNullOrEmpty(recipient.RemoteMta))
                Wrapped(text, $"Remote-MTA: {Typed(recipient.RemoteMta, "dns")}");
            Wrapped(text, string.IsNullOrEmpty(recipient.DiagnosticCode)
                ? $"Diagnostic-Code: X-{_mailNameAtom}; {Printable(recipient.Outcome.Reason)}"
                : $"Diagnostic-Code: {Typed(Printable(recipient.DiagnosticCode), "smtp")}");
            if (request.Template.Kind == NoticeKind.Delay)
                Line(text, $"Will-Retry-Until: {MailDate.Format(envelope.ArrivalTime + settings.MaximalQueueLifetime, zone)}");
        }
    }

    private async ValueTask WriteOriginalAsync(NoticeRequest request, string boundary, bool eightBit,
        Func<CancellationToken, ValueTask<Stream>> openOriginal, OriginalMessage.Sink sink, CancellationToken cancellationToken)
    {
        var envelope = request.Original.Envelope;
        Stream? original = await TryOpenAsync(openOriginal, cancellationToken).ConfigureAwait(false);
        await using var _ = original;
        // A large original is returned as headers only, so that truncation never damages its MIME structure.
        long size = request.Original.Size > 0 ? request.Original.Size : original is { CanSeek: true } ? original.Length : 0;
        bool headersOnly = request.Return == DsnRet.Hdrs || (original is not null && (size <= 0 || size > settings.BounceSizeLimit));
        bool undelivered = request.Template.Kind is NoticeKind.Failure or NoticeKind.Delay;

        var text = new StringBuilder();
        Line(text, "");
        Line(text, $"--{boundary}");
        Line(text, $"Content-Description: {(undelivered ? "Undelivered " : "")}{(headersOnly ? "Message Headers" : "Message")}");
        Line(text, envelope.Smtputf8
            ? $"Content-Type: message/{(headersOnly ? "global-headers" : "global")}"
            : $"Content-Type: {(headersOnly ? "text/rfc822-headers" : "message/rfc822")}");
        if (eightBit) Line(text, "Content-Transfer-Encoding: 8bit");
        Line(text, "");
        if (original is null)
        {
            Line(text, "\t--- Undelivered message unavailable ---");
            await sink(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
            return;
        }
        // cleanup(8) strips Return-Path:, so bounce(8) puts one back for header_checks and readers.
        Line(text, $"Return-Path: <{SenderForReport(envelope)}>");
        await sink(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
        if (headersOnly)
            await OriginalMessage.CopyHeadersAsync(original, sink, cancellationToken).ConfigureAwait(false);
        else
            await OriginalMessage.CopyAllAsync(original, sink, cancellationToken).ConfigureAwait(false);
        await sink(Encoding.UTF8.GetBytes($"{Crlf}--{boundary}--{Crlf}"), cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<Stream?> TryOpenAsync(Func<CancellationToken, ValueTask<Stream>> open, CancellationToken cancellationToken)
    {
        try
        {
            return await open(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Bouncing does not have to be perfect: the notice still goes out, with a place holder.
            return null;
        }
    }

    private static async ValueTask<string?> FindMessageIdAsync(Func<CancellationToken, ValueTask<Stream>> open, CancellationToken cancellationToken)
    {
        var stream = await TryOpenAsync(open, cancellationToken).ConfigureAwait(false);
        if (stream is null) return null;
        await using (stream.ConfigureAwait(false))
            return await OriginalMessage.FindMessageIdAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A template's From: gets @$myorigin on a bare address, as cleanup(8) rewrites header addresses.</summary>
    private string QualifyHeaderAddress(string from)
    {
        var angle = System.Text.RegularExpressions.Regex.Match(from, @"<([^<>@\s]+)>");
        if (angle.Success) return from.Replace(angle.Value, $"<{angle.Groups[1].Value}@{settings.MyOrigin}>", StringComparison.Ordinal);
        var bare = System.Text.RegularExpressions.Regex.Match(from, @"^([^\s<>()@]+)(\s*\(.*\))?$");
        return bare.Success ? $"{bare.Groups[1].Value}@{settings.MyOrigin}{bare.Groups[2].Value}" : from;
    }

    /// <summary>"failed" for every non-delivery; delay and success notices report what happened.</summary>
    private static string Action(NoticeKind kind, NoticeRecipient recipient) => kind switch
    {
        NoticeKind.Failure => "failed",
        NoticeKind.Delay => "delayed",
        // Handed to a remote MTA that will not send its own DSN: "relayed"; put in a mailbox: "delivered".
        _ => string.IsNullOrEmpty(recipient.RemoteMta) ? "delivered" : "relayed",
    };

    /// <summary>The original recipient when it differs from the reported address (alias or rewrite): "(expanded from &lt;...&gt;)".</summary>
    private static string? OriginalAddress(QueuedMessage message, NoticeRecipient recipient)
    {
        if (recipient.Index < 0 || recipient.Index >= message.Envelope.Recipients.Count) return null;
        var envelopeRecipient = message.Envelope.Recipients[recipient.Index];
        var original = string.IsNullOrEmpty(envelopeRecipient.OriginalAddress) ? envelopeRecipient.Address : envelopeRecipient.OriginalAddress;
        return string.Equals(original, recipient.Address, StringComparison.OrdinalIgnoreCase) ? null : original;
    }

    /// <summary>Original-Recipient: the ORCPT as given, else the original address when it differs.</summary>
    private static string? OriginalRecipientField(QueuedMessage message, NoticeRecipient recipient)
    {
        if (recipient.Index >= 0 && recipient.Index < message.Envelope.Recipients.Count
            && message.Envelope.Recipients[recipient.Index].Orcpt is { Length: > 0 } orcpt)
            return orcpt;
        var original = OriginalAddress(message, recipient);
        return original is null ? null : $"{AddressType(message.Envelope, original)}; {AddressQuoting.External(original)}";
    }

    /// <summary>The null sender is shown as MAILER-DAEMON (mail_addr_mail_daemon()).</summary>
    private static string SenderForReport(Envelope envelope) => envelope.Sender.Length == 0 ? "MAILER-DAEMON" : AddressQuoting.External(envelope.Sender);

    /// <summary>"utf-8" only for a UTF-8 address in SMTPUTF8 mail; "rfc822" otherwise.</summary>
    private static string AddressType(Envelope envelope, string address) =>
        envelope.Smtputf8 && !Ascii.IsValid(address) ? "utf-8" : "rfc822";

    /// <summary>A value that already names its type ("smtp; 550 ...") is kept; a bare one gets <paramref name="type"/>.</summary>
    private static string Typed(string value, string type)
    {
        int semicolon = value.IndexOf(';');
        bool named = semicolon > 0 && value.AsSpan(0, semicolon).IndexOfAnyExcept(TypeNameCharacters) < 0;
        return named ? value : $"{type}; {value}";
    }

    private static readonly System.Buffers.SearchValues<char> TypeNameCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>Control characters become '?' (bounce_log_read's printable()), so the text can be piped safely.</summary>
    private static string Printable(string text) =>
        string.Create(text.Length, text, (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
        });

    private static void Wrapped(StringBuilder text, string field)
    {
        foreach (var piece in LineWrap.Wrap(field))
            Line(text, piece);
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append(Crlf);
}

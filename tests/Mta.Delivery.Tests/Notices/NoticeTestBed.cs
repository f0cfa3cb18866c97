using System.Text;
using Mta.Config;
using Mta.Delivery.Notices;
using Mta.Queue;
using Mta.Queue.File;
using Mta.Smtp;
using MimeKit;

namespace Mta.Delivery.Tests.Notices;

/// <summary>
/// A real file queue in a temp queue_directory, a real Postfix-format log writer and a BounceNotifier built from
/// main.cf-style settings: originals are enqueued the way smtpd does, notices are read back from the queue.
/// </summary>
public sealed class NoticeTestBed : IAsyncDisposable
{
    public const string Host = "mail.example.com";

    private readonly string _directory = Directory.CreateTempSubdirectory("mta-notices-").FullName;
    private readonly StringWriter _logText = new();

    public NoticeTestBed(params (string Name, string Value)[] mainCf)
    {
        Store = FileQueueStore.Open(new FileQueueStoreOptions(_directory));
        var parameters = new ParameterSet(ParameterCatalogue.All)
            .WithOverrides([new("compatibility_level", "3.6"), new("myhostname", Host), new("mydomain", "example.com"), .. mainCf.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))]);
        Settings = NoticeSettings.From(parameters);
        Notifier = new BounceNotifier(Store, Settings, new PostfixLogWriter(_logText, Host));
    }

    public FileQueueStore Store { get; }

    /// <summary>The queue_directory (tests break it to see how failures are reported).</summary>
    public string QueueDirectory => _directory;

    public NoticeSettings Settings { get; }

    public BounceNotifier Notifier { get; }

    public string[] LogLines => _logText.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A plain 7-bit original with a Message-Id, as smtpd would have queued it.</summary>
    public static string SimpleBody(string subject = "lunch", string body = "See you at noon.") =>
        $"Received: from client.example.org (client.example.org [192.0.2.7])\r\n\tby {Host} (Postfix) with ESMTP id X\r\n" +
        $"From: Alice <alice@example.org>\r\nTo: bob@remote.example\r\nSubject: {subject}\r\n" +
        $"Message-Id: <original.1@example.org>\r\nDate: Thu, 26 Nov 2026 01:00:00 +0000 (UTC)\r\n\r\n{body}\r\n";

    public async Task<QueuedMessage> EnqueueAsync(string sender, IReadOnlyList<Recipient> recipients, string? body = null,
        DsnRet? ret = null, string? envId = null, bool smtputf8 = false)
    {
        var id = Store.NewQueueId();
        await using (var writer = await Store.BeginMessageAsync(id, default))
        {
            await writer.WriteAsync(Encoding.UTF8.GetBytes(body ?? SimpleBody()), default);
            await writer.CommitAsync(new Envelope(sender, recipients, DateTimeOffset.UtcNow.AddMinutes(-5), ret, envId,
                "client.example.org[192.0.2.7]", smtputf8), default);
        }
        return (await Store.GetAsync(id, default))!;
    }

    public Task<QueuedMessage> EnqueueAsync(string sender, params string[] recipients) =>
        EnqueueAsync(sender, recipients.Select(r => new Recipient(r)).ToArray());

    /// <summary>A permanent SMTP failure as the smtp agent reports it.</summary>
    public static NoticeRecipient Rejected(int index, string address, string dsn = "5.1.1") => new(index, address,
        RecipientOutcome.Bounced(dsn, $"host mx.remote.example[192.0.2.25] said: 550 {dsn} <{address}>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)"),
        "mx.remote.example", $"smtp; 550 {dsn} <{address}>: Recipient address rejected: User unknown in virtual mailbox table", DateTimeOffset.UtcNow);

    public static NoticeRecipient Deferred(int index, string address) => new(index, address,
        RecipientOutcome.Deferred("4.4.1", "connect to mx.remote.example[192.0.2.25]:25: Connection refused"),
        null, null, DateTimeOffset.UtcNow);

    public async Task<int> CountMessagesAsync() => (await Store.ListAsync(null, default).ToListAsync()).Count;

    /// <summary>A queued notice: its envelope, its exact stored bytes and the MIME parse of them.</summary>
    public async Task<(QueuedMessage Queued, byte[] Raw, MimeMessage Mime)> ReadAsync(QueueId id)
    {
        var queued = await Store.GetAsync(id, default);
        Assert.NotNull(queued);
        using var body = new MemoryStream();
        await using (var stream = await Store.OpenBodyAsync(id, default))
            await stream.CopyToAsync(body);
        var raw = body.ToArray();
        var mime = await MimeMessage.LoadAsync(new MemoryStream(raw));
        return (queued, raw, mime);
    }

    public static MultipartReport Report(MimeMessage notice) => Assert.IsType<MultipartReport>(notice.Body);

    /// <summary>The human-readable part's text, line endings as "\n" (the stored bytes are checked for CRLF elsewhere).</summary>
    public static string NotificationText(MimeMessage notice) => Assert.IsType<TextPart>(Report(notice)[0]).Text.ReplaceLineEndings("\n");

    public static HeaderList StatusGroup(MimeMessage notice, int group) =>
        Assert.IsType<MessageDeliveryStatus>(Report(notice)[1]).StatusGroups[group];

    /// <summary>A status field with folding undone ("Diagnostic-Code" lines are wrapped at 79 columns).</summary>
    public static string? Unfolded(HeaderList group, string field) =>
        group.FirstOrDefault(h => h.Field == field) is { } header
            ? System.Text.RegularExpressions.Regex.Replace(Encoding.UTF8.GetString(header.RawValue).Trim(), @"\r?\n[ \t]+", " ")
            : null;

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

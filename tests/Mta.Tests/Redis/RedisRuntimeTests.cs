using System.Diagnostics;
using MailKit.Net.Smtp;
using MimeKit;
using Mta.Queue;
using Mta.Tests.Master;

namespace Mta.Tests.Redis;

/// <summary>
/// The single-host runtime (`mta postfix start-fg`, `mta sendmail`) with queue_backend = redis against a real
/// redis-server: 250 means the message is in Redis; Redis gone means 451 4.3.0 and nothing lost or half-written.
/// </summary>
public sealed class RedisRuntimeTests
{
    private const string QueueWriteError = "451 4.3.0 Error: queue file write error";

    [Fact]
    public async Task StartFgQueuesAcceptedMailInRedis()
    {
        await using var redis = await RedisServer.StartNewAsync();
        using var mta = RedisInstance(redis);
        mta.Start();

        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", mta.Port, MailKit.Security.SecureSocketOptions.None);
        var reply = await client.SendAsync(Message("sender@client.example", "rcpt@remote.example"));
        await client.DisconnectAsync(true);

        Assert.Matches(@"^2\.0\.0 Ok: queued as [0-9A-Za-z]+$", reply);
        var id = reply[(reply.LastIndexOf(' ') + 1)..];
        var queued = Assert.Single(await MtaInstance.QueuedAsync(redis.Settings));
        Assert.Equal(id, queued.Id.Value);
        Assert.Equal("sender@client.example", queued.Envelope.Sender);
        Assert.Equal(["rcpt@remote.example"], queued.Envelope.Recipients.Select(r => r.Address));
        var body = await MtaInstance.BodyAsync(redis.Settings, queued.Id);
        Assert.StartsWith("Received: from ", body);
        Assert.Contains($"by mx.test.example (Postfix) with ESMTP id {id}", body);
        Assert.Contains("\r\nSubject: redis runtime\r\n", body);
        Assert.EndsWith("\r\n\r\nhello\r\n", body);
        Assert.Equal(queued.Size, System.Text.Encoding.UTF8.GetByteCount(body));
        Assert.Empty(Directory.Exists(Path.Combine(mta.QueueDirectory, "incoming"))
            ? Directory.GetFiles(Path.Combine(mta.QueueDirectory, "incoming"), "*", SearchOption.AllDirectories)
            : []);
    }

    [Fact]
    public async Task RedisKilledMidDataGives451LosesNothingAndRecoversAfterRestart()
    {
        await using var redis = await RedisServer.StartNewAsync();
        using var mta = RedisInstance(redis);
        mta.Start();

        await using var session = await SmtpDialog.OpenAsync(mta.Port);
        var before = new[]
        {
            SmtpDialog.QueuedId(await session.SendAsync("a@client.example", "x@remote.example", "first")),
            SmtpDialog.QueuedId(await session.SendAsync("a@client.example", "x@remote.example", "second")),
        };

        await session.BeginAsync("a@client.example", "x@remote.example");
        await session.WriteAsync("Subject: interrupted\r\n\r\nfirst half\r\n");
        redis.Kill();
        await session.WriteAsync("second half\r\n");
        Assert.Equal(QueueWriteError, await session.CommandAsync("."));
        // The session stays usable: the failed transaction is gone and the client may try again later.
        Assert.Equal("250 2.0.0 Ok", await session.CommandAsync("RSET"));
        // A whole new transaction while Redis is still down fails the same way, at the end of DATA.
        Assert.Equal(QueueWriteError, await session.SendAsync("a@client.example", "x@remote.example", "while down"));
        Assert.Equal("221 2.0.0 Bye", await session.CommandAsync("QUIT"));

        await redis.StartAsync();
        var after = SmtpDialog.QueuedId(await SendUntilAcceptedAsync(mta.Port, TimeSpan.FromSeconds(12)));

        var queued = await MtaInstance.QueuedAsync(redis.Settings);
        Assert.Equal(before.Append(after).Order(), queued.Select(m => m.Id.Value).Order());
        foreach (var message in queued)
            Assert.Contains($"id {message.Id}", await MtaInstance.BodyAsync(redis.Settings, message.Id));
        // Nothing half-written: every message or body key in Redis belongs to a message that got 250.
        var keys = RedisKeys(redis);
        Assert.All(queued, m => Assert.Contains(keys, k => k.EndsWith(":m:" + m.Id.Value)));
        foreach (var key in keys)
            Assert.True(!key.Contains(":m:") && !key.Contains(":b:") || queued.Any(m => key.EndsWith(":" + m.Id.Value)), $"stray key {key}");
        Assert.Matches(@"postfix/smtpd\[\d+\]: warning: [0-9A-Za-z]+: queue file write error: ", mta.Maillog);
    }

    [Fact]
    public async Task MasterStartedBeforeRedisWaitsForItThenAcceptsMail()
    {
        await using var redis = new RedisServer(); // port chosen, not running yet
        using var mta = RedisInstance(redis);
        var starting = Task.Run(mta.Start);
        var waiting = new System.Text.RegularExpressions.Regex(@"postfix/master\[\d+\]: warning: open queue: .*; waiting for it\n");
        for (var i = 0; i < 100 && !waiting.IsMatch(mta.Maillog); i++)
            await Task.Delay(100);
        Assert.True(waiting.IsMatch(mta.Maillog), mta.Maillog);
        Assert.False(starting.IsCompleted, "smtpd listened before the queue store was available");
        Assert.False(mta.Master.HasExited, "the master gave up instead of waiting for Redis");

        await redis.StartAsync();
        await starting.WaitAsync(TimeSpan.FromSeconds(10));
        await using var session = await SmtpDialog.OpenAsync(mta.Port);
        var id = SmtpDialog.QueuedId(await session.SendAsync("a@client.example", "x@remote.example", "late redis"));

        Assert.Equal([id], (await MtaInstance.QueuedAsync(redis.Settings)).Select(m => m.Id.Value));
        Assert.Matches(@"postfix/master\[\d+\]: queue store available\n", mta.Maillog);
    }

    [Fact]
    public async Task StopWhileWaitingForRedisExitsCleanly()
    {
        await using var redis = new RedisServer(); // never started
        using var mta = RedisInstance(redis);
        var starting = Task.Run(mta.Start);
        for (var i = 0; i < 100 && !mta.Maillog.Contains("; waiting for it\n"); i++)
            await Task.Delay(100);
        Assert.Contains("; waiting for it\n", mta.Maillog);

        var (status, _, stopping) = MtaInstance.Run("postfix", "-c", mta.ConfigDirectory, "stop");
        Assert.Equal(0, status);
        Assert.Equal("postfix/postfix-script: stopping the Postfix mail system\n", stopping);
        Assert.True(mta.Master.WaitForExit(10_000));
        Assert.Equal(0, mta.Master.ExitCode);
        Assert.Matches(@"postfix/master\[\d+\]: terminating on signal 15\n", mta.Maillog);
        await Assert.ThrowsAsync<InvalidOperationException>(() => starting); // it never listened
    }

    [Fact]
    public async Task RedisKilledBetweenBdatChunksGives451AtLastChunkAndQueuesNothing()
    {
        await using var redis = await RedisServer.StartNewAsync();
        using var mta = RedisInstance(redis);
        mta.Start();

        await using var session = await SmtpDialog.OpenAsync(mta.Port);
        Assert.Equal("250 2.1.0 Ok", await session.CommandAsync("MAIL FROM:<a@client.example>"));
        Assert.Equal("250 2.1.5 Ok", await session.CommandAsync("RCPT TO:<x@remote.example>"));
        const string first = "Subject: chunked\r\n\r\n";
        await session.WriteAsync($"BDAT {first.Length}\r\n{first}");
        Assert.StartsWith("250 2.0.0 ", await session.ReadReplyAsync());
        redis.Kill();
        const string last = "last chunk\r\n";
        await session.WriteAsync($"BDAT {last.Length} LAST\r\n{last}");
        Assert.Equal(QueueWriteError, await session.ReadReplyAsync());
        Assert.Equal("221 2.0.0 Bye", await session.CommandAsync("QUIT"));

        await redis.StartAsync();
        Assert.Empty(await MtaInstance.QueuedAsync(redis.Settings));
    }

    [Fact]
    public async Task SendmailQueuesInRedis()
    {
        await using var redis = await RedisServer.StartNewAsync();
        using var mta = RedisInstance(redis);
        Assert.Equal((0, ""), await SendmailAsync(mta, "Subject: cron\n\nfrom sendmail\n", "-f", "cron@host.example", "admin@remote.example"));

        var queued = Assert.Single(await MtaInstance.QueuedAsync(redis.Settings));
        Assert.Equal("cron@host.example", queued.Envelope.Sender);
        Assert.Equal(["admin@remote.example"], queued.Envelope.Recipients.Select(r => r.Address));
        var body = await MtaInstance.BodyAsync(redis.Settings, queued.Id);
        Assert.StartsWith("Received: by mx.test.example (Postfix, from userid ", body);
        Assert.Contains($"id {queued.Id}; ", body);
        Assert.EndsWith("\r\n\r\nfrom sendmail\r\n", body);
        Assert.False(Directory.Exists(Path.Combine(mta.QueueDirectory, "maildrop")) &&
                     Directory.EnumerateFiles(Path.Combine(mta.QueueDirectory, "maildrop")).Any());
    }

    [Fact]
    public async Task SendmailWithRedisDownFailsTemporarilyAndQueuesNothing()
    {
        await using var redis = await RedisServer.StartNewAsync();
        using var mta = RedisInstance(redis);
        redis.Kill();

        var (status, error) = await SendmailAsync(mta, "Subject: lost?\n\nno\n", "-f", "cron@host.example", "admin@remote.example");

        Assert.Equal(75, status); // EX_TEMPFAIL: the caller keeps the message and tries again
        Assert.StartsWith("sendmail: fatal: queue file write error: ", error);
        await redis.StartAsync();
        Assert.Empty(await MtaInstance.QueuedAsync(redis.Settings));
    }

    private static Task<(int Status, string Error)> SendmailAsync(MtaInstance mta, string stdin, params string[] args) =>
        Task.Run(() => mta.Sendmail(stdin, TimeSpan.FromSeconds(20), args));

    private static MtaInstance RedisInstance(RedisServer redis) =>
        // A short store timeout keeps the 451 path quick; the default (5 s) is for production.
        new($"queue_backend = redis\nredis_url = {redis.Url}?timeout=2000");

    /// <summary>New sessions until one gets 250: the store reconnects on its own after Redis comes back.</summary>
    private static async Task<string?> SendUntilAcceptedAsync(int port, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        string? reply = null;
        while (deadline.Elapsed < limit)
        {
            await using var session = await SmtpDialog.OpenAsync(port);
            Assert.Equal("250 2.1.0 Ok", await session.CommandAsync("MAIL FROM:<b@client.example>"));
            Assert.Equal("250 2.1.5 Ok", await session.CommandAsync("RCPT TO:<y@remote.example>"));
            Assert.StartsWith("354 ", await session.CommandAsync("DATA"));
            reply = await session.CommandAsync("Subject: after restart\r\n\r\nagain\r\n.");
            if (reply is not null && reply.StartsWith("250 ", StringComparison.Ordinal))
                return reply;
            Assert.Equal(QueueWriteError, reply);
            await Task.Delay(250);
        }
        return reply;
    }

    private static string[] RedisKeys(RedisServer redis)
    {
        var start = new ProcessStartInfo("/usr/bin/redis-cli") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", redis.Port.ToString(), "--scan" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(10_000));
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static MimeMessage Message(string from, string to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "redis runtime";
        message.Body = new TextPart("plain") { Text = "hello\n" };
        return message;
    }
}

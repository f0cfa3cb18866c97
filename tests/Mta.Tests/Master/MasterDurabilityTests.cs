using MailKit.Net.Smtp;
using MimeKit;

namespace Mta.Tests.Master;

/// <summary>
/// What the real master process promises across process boundaries: 250 means durable even if the master dies
/// the next instant, and `postfix start|status|stop` drive a background master as Postfix's postfix(1) does.
/// </summary>
public sealed class MasterDurabilityTests
{
    [Fact]
    public async Task MessageAcknowledgedWith250SurvivesKillDashNineOfTheMaster()
    {
        using var mta = new MtaInstance();
        mta.Start();
        string id;
        using (var client = new SmtpClient())
        {
            await client.ConnectAsync("127.0.0.1", mta.Port, MailKit.Security.SecureSocketOptions.None);
            var reply = await client.SendAsync(Message());
            id = reply[(reply.LastIndexOf(' ') + 1)..];
            mta.KillMaster(); // before QUIT: nothing after the 250 may be needed to keep the message
        }

        var queued = Assert.Single(await mta.QueuedAsync());
        Assert.Equal(id, queued.Id.Value);
        Assert.Contains($"id {id}", await mta.BodyAsync(queued.Id));

        // A new master takes over the stale pid file, recovers the queue and keeps the message.
        mta.Start();
        Assert.Equal([id], (await mta.QueuedAsync()).Select(m => m.Id.Value));
    }

    [Fact]
    public void BackgroundStartThenStatusThenStopFromSeparateProcesses()
    {
        using var mta = new MtaInstance();
        var (started, _, starting) = MtaInstance.Run("postfix", "-c", mta.ConfigDirectory, "start");
        Assert.Equal(0, started);
        Assert.Equal("postfix/postfix-script: starting the Postfix mail system\n", starting);

        var (status, _, running) = MtaInstance.Run("postfix", "-c", mta.ConfigDirectory, "status");
        Assert.Equal(0, status);
        Assert.Matches(@"^postfix/postfix-script: the Postfix mail system is running: PID: \d+\n$", running);

        var (stopped, _, stopping) = MtaInstance.Run("postfix", "-c", mta.ConfigDirectory, "stop");
        Assert.Equal(0, stopped);
        Assert.Equal("postfix/postfix-script: stopping the Postfix mail system\n", stopping);

        var (after, _, notRunning) = MtaInstance.Run("postfix", "-c", mta.ConfigDirectory, "status");
        Assert.Equal(1, after);
        Assert.Equal("postfix/postfix-script: the Postfix mail system is not running\n", notRunning);
        Assert.Matches(@"postfix/master\[\d+\]: daemon started -- version \S+, configuration " + System.Text.RegularExpressions.Regex.Escape(mta.ConfigDirectory), mta.Maillog);
        Assert.Matches(@"postfix/master\[\d+\]: terminating on signal 15", mta.Maillog);
    }

    private static MimeMessage Message()
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@client.example"));
        message.To.Add(MailboxAddress.Parse("rcpt@remote.example"));
        message.Subject = "durable";
        message.Body = new TextPart("plain") { Text = "kept\n" };
        return message;
    }
}

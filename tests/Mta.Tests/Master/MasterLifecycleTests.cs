using MailKit.Net.Smtp;
using MimeKit;

namespace Mta.Tests.Master;

/// <summary>`mta postfix -c DIR start-fg|status|reload|stop` as Postfix's postfix(1), against a real child process.</summary>
public sealed class MasterLifecycleTests
{
    [Fact]
    public async Task StartFgAcceptsMailAndQueuesItDurably()
    {
        using var mta = new MtaInstance();
        mta.Start();
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", mta.Port, MailKit.Security.SecureSocketOptions.None);
        var reply = await client.SendAsync(Message("sender@client.example", "rcpt@remote.example"));
        await client.DisconnectAsync(true);

        Assert.Matches(@"^2\.0\.0 Ok: queued as [0-9BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxy]+z[0-9A-Za-z]+$", reply);
        var id = reply[(reply.LastIndexOf(' ') + 1)..];
        var queued = Assert.Single(await mta.QueuedAsync());
        Assert.Equal(id, queued.Id.Value);
        Assert.Equal("sender@client.example", queued.Envelope.Sender);
        Assert.Contains($"id {id}", await mta.BodyAsync(queued.Id));
        Assert.Contains($"{id}: client=", mta.Maillog);
        Assert.Contains("postfix/master", mta.Maillog);
    }

    [Fact]
    public void StatusAndStopWorkFromAnotherProcess()
    {
        using var mta = new MtaInstance();
        var (stoppedStatus, _, notRunning) = MtaInstance.Run("postfix", "-c", mta.ConfigDirectory, "status");
        Assert.Equal(1, stoppedStatus);
        Assert.Equal("postfix/postfix-script: the Postfix mail system is not running\n", notRunning);

        mta.Start();
        var (status, _, running) = MtaInstance.Run("postfix", "-c", mta.ConfigDirectory, "status");
        Assert.Equal(0, status);
        Assert.Equal($"postfix/postfix-script: the Postfix mail system is running: PID: {mta.Master.Id}\n", running);

        var (stop, _, stopping) = MtaInstance.Run("postfix", "-c", mta.ConfigDirectory, "stop");
        Assert.Equal(0, stop);
        Assert.Equal("postfix/postfix-script: stopping the Postfix mail system\n", stopping);
        Assert.True(mta.Master.WaitForExit(10_000));
        Assert.Equal(0, mta.Master.ExitCode);
        Assert.Contains("terminating on signal 15", mta.Maillog);
    }

    [Fact]
    public async Task ReloadChangesTheBannerForNewSessionsWithoutDroppingOpenOnes()
    {
        using var mta = new MtaInstance("smtpd_banner = $myhostname ESMTP before");
        mta.Start();
        using var open = new SmtpClient();
        await open.ConnectAsync("127.0.0.1", mta.Port, MailKit.Security.SecureSocketOptions.None);

        mta.WriteMainCf("smtpd_banner = $myhostname ESMTP after");
        var (status, _, refreshing) = MtaInstance.Run("postfix", "-c", mta.ConfigDirectory, "reload");
        Assert.Equal(0, status);
        Assert.Equal("postfix/postfix-script: refreshing the Postfix mail system\n", refreshing);
        await WaitForAsync(() => mta.Maillog.Contains("reload -- version"));

        Assert.Equal("220 mx.test.example ESMTP after", await BannerAsync(mta.Port));
        var reply = await open.SendAsync(Message("a@client.example", "b@remote.example"));
        Assert.StartsWith("2.0.0 Ok: queued as ", reply);
    }

    [Fact]
    public void InvalidConfigurationRefusesToStartWithPostfixsFatalText()
    {
        using var mta = new MtaInstance("smtpd_helo_required = maybe");
        var (status, _, error) = MtaInstance.Run("postfix", "-c", mta.ConfigDirectory, "start-fg");
        Assert.Equal(1, status);
        Assert.Contains("fatal: ", error);
        Assert.Contains("bad boolean configuration: smtpd_helo_required = maybe", error);
    }

    private static MimeMessage Message(string from, string to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "lifecycle";
        message.Body = new TextPart("plain") { Text = "hello\n" };
        return message;
    }

    private static async Task<string> BannerAsync(int port)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        using var reader = new StreamReader(tcp.GetStream());
        return (await reader.ReadLineAsync())!;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
            await Task.Delay(100);
        Assert.True(condition());
    }
}

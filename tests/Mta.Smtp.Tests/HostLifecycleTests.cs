using System.Net;
using System.Net.Sockets;
using Mta.Smtp.Server;
using Mta.Smtp.Tests.Support;

namespace Mta.Smtp.Tests;

public class HostLifecycleTests
{
    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static SmtpListener Listener(int port, string banner) =>
        new("smtp", new IPEndPoint(IPAddress.Loopback, port), TestServer.Defaults with { Banner = banner }, new PermitAllPolicy());

    [Fact]
    public async Task ReloadChangesNewSessionsAndKeepsOldOnes()
    {
        await using var store = new TempDirQueueStore();
        var log = new ListLog();
        var port = FreePort();
        var host = new SmtpServerHost(store, log);
        await host.StartAsync([Listener(port, "old banner")], CancellationToken.None);

        await using var before = await RawSmtpClient.ConnectAsync(port);
        Assert.Equal("220 old banner", await before.ReadReplyAsync());

        await host.ReloadAsync([Listener(port, "new banner")], TimeSpan.FromSeconds(2), CancellationToken.None);
        await using var after = await RawSmtpClient.ConnectAsync(port);
        Assert.Equal("220 new banner", await after.ReadReplyAsync());

        // The old session is still alive and finishes a transaction.
        await before.CommandAsync("EHLO c");
        await before.CommandAsync("MAIL FROM:<a@b>");
        await before.CommandAsync("RCPT TO:<c@d>");
        await before.CommandAsync("DATA");
        Assert.Matches("^250 2.0.0 Ok: queued as ", await before.CommandAsync("Subject: s\r\n\r\nx\r\n."));

        // Graceful stop: no new connections, but sessions in progress may finish within the grace period.
        var stopping = host.StopAsync(TimeSpan.FromSeconds(3));
        await Task.Delay(200);
        await Assert.ThrowsAnyAsync<SocketException>(() => RawSmtpClient.ConnectAsync(port));
        Assert.Equal("250 2.0.0 Ok", await after.CommandAsync("NOOP"));
        Assert.Equal("221 2.0.0 Bye", await after.CommandAsync("QUIT"));
        Assert.Equal("221 2.0.0 Bye", await before.CommandAsync("QUIT"));
        await stopping.WaitAsync(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task SeveralListenersRunWithTheirOwnSettings()
    {
        await using var store = new TempDirQueueStore();
        var host = new SmtpServerHost(store, new ListLog());
        await host.StartAsync(
        [
            new SmtpListener("smtp", new IPEndPoint(IPAddress.Loopback, 0), TestServer.Defaults, new PermitAllPolicy()),
            new SmtpListener("submission", new IPEndPoint(IPAddress.Loopback, 0),
                TestServer.Defaults with { ServiceName = "submission", TlsSecurityLevel = TlsSecurityLevel.Encrypt, TlsCertificate = TestCertificate.Server },
                new PermitAllPolicy()),
        ], CancellationToken.None);
        try
        {
            await using var smtp = await RawSmtpClient.ConnectAsync(host.BoundEndPoints["smtp"].Port);
            await using var submission = await RawSmtpClient.ConnectAsync(host.BoundEndPoints["submission"].Port);
            await smtp.ReadReplyAsync();
            await submission.ReadReplyAsync();
            Assert.Equal("250 2.1.0 Ok", await smtp.CommandAsync("MAIL FROM:<a@b>"));
            Assert.Equal("530 5.7.0 Must issue a STARTTLS command first", await submission.CommandAsync("MAIL FROM:<a@b>"));
        }
        finally
        {
            await host.StopAsync(TimeSpan.FromSeconds(1));
        }
    }
}

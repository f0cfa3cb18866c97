using System.Text;
using Mta.Smtp.Tests.Support;

namespace Mta.Smtp.Tests;

/// <summary>SMTP smuggling corpus: only CRLF.CRLF ends DATA; stored content always uses CRLF.</summary>
public class DataEndingTests
{
    private static async Task<(TestServer Server, RawSmtpClient Client)> OpenDataAsync(SmtpdSettings? settings = null)
    {
        var server = await TestServer.StartAsync(settings);
        var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO c");
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@example.org>"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<b@example.com>"));
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.CommandAsync("DATA"));
        return (server, client);
    }

    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\r.\r")]
    [InlineData("\n.\r\n")]
    [InlineData("\r\n.\n")]
    [InlineData("\r\n.\r")]
    [InlineData("\r.\r\n")]
    public async Task BareLineEndingsNeverEndData(string fakeEnd)
    {
        var (server, client) = await OpenDataAsync();
        await using (server)
        await using (client)
        {
            var smuggled = $"Subject: t\r\n\r\nfirst{fakeEnd}MAIL FROM:<evil@example.net>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nsmuggled\r\n.\r\n";
            await client.SendAsync(smuggled);
            var reply = await client.ReadReplyAsync();
            Assert.Matches("^250 2.0.0 Ok: queued as ", reply);
            // The smuggled commands were content: the next command is answered as a fresh command.
            Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
            var (envelope, content) = Assert.Single(server.Store.Committed.Values);
            Assert.Equal("a@example.org", envelope.Sender);
            var text = Encoding.UTF8.GetString(content);
            Assert.Contains("MAIL FROM:<evil@example.net>\r\n", text);
            Assert.EndsWith("smuggled\r\n", text);
            Assert.DoesNotContain("\n", text.Replace("\r\n", ""));
        }
    }

    [Fact]
    public async Task BareLfIsStoredAsCrLfAndDotsAreUnstuffed()
    {
        var (server, client) = await OpenDataAsync();
        await using (server)
        await using (client)
        {
            await client.SendAsync("Subject: t\n\nline1\n..leading dot\r\n.\r\n");
            Assert.Matches("^250 2.0.0 Ok: queued as ", await client.ReadReplyAsync());
            var text = Encoding.UTF8.GetString(Assert.Single(server.Store.Committed.Values).Content);
            Assert.Contains("\r\nSubject: t\r\n", text);
            Assert.EndsWith("\r\n\r\nline1\r\n.leading dot\r\n", text);
        }
    }

    [Fact]
    public async Task BareLfRejectModeRejectsTheMessage()
    {
        var (server, client) = await OpenDataAsync(TestServer.Defaults with { ForbidBareNewline = BareNewlineMode.Reject });
        await using (server)
        await using (client)
        {
            await client.SendAsync("Subject: t\r\n\r\nbare\nlf\r\n.\r\n");
            Assert.Equal("550 5.5.2 mx.example.com Error: bare <LF> received", await client.ReadReplyAsync());
            Assert.Empty(server.Store.Committed);
            await server.Log.WaitForAsync(l => l.Contains(": reject: END-OF-MESSAGE from unknown[127.0.0.1]: bare <LF> received; from=<a@example.org> proto=ESMTP helo=<c>"));
        }
    }

    [Fact]
    public async Task BareLfInCommandIsRejectedInRejectMode()
    {
        await using var server = await TestServer.StartAsync(TestServer.Defaults with { ForbidBareNewline = BareNewlineMode.Reject });
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.SendAsync("EHLO c\n");
        Assert.Equal("550 5.5.2 mx.example.com Error: bare <LF> received", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task NoteModeLogsBareLfInDisconnectLine()
    {
        var (server, client) = await OpenDataAsync(TestServer.Defaults with { ForbidBareNewline = BareNewlineMode.Note });
        await using (server)
        {
            await using (client)
            {
                await client.SendAsync("Subject: t\r\n\r\nbare\nlf\r\n.\r\n");
                Assert.Matches("^250 2.0.0 Ok", await client.ReadReplyAsync());
                await client.CommandAsync("QUIT");
            }
            var line = await server.Log.WaitForAsync(l => l.StartsWith("disconnect"));
            Assert.EndsWith(" notes=bare_lf", line);
        }
    }

    [Fact]
    public async Task ExcludedClientsGetLegacyBareLfEnd()
    {
        var settings = TestServer.Defaults with { ForbidBareNewlineExclusions = [System.Net.IPNetwork.Parse("127.0.0.0/8")] };
        var (server, client) = await OpenDataAsync(settings);
        await using (server)
        await using (client)
        {
            await client.SendAsync("Subject: t\n\nbody\n.\n");
            Assert.Matches("^250 2.0.0 Ok: queued as ", await client.ReadReplyAsync());
        }
    }

    [Fact]
    public async Task LongContentLinesArriveIntact()
    {
        var (server, client) = await OpenDataAsync();
        await using (server)
        await using (client)
        {
            var longLine = new string('x', 5000);
            await client.SendAsync($"Subject: t\r\n\r\n{longLine}\r\n.{longLine}\r\n.\r\n");
            Assert.Matches("^250 2.0.0 Ok: queued as ", await client.ReadReplyAsync());
            var text = Encoding.UTF8.GetString(Assert.Single(server.Store.Committed.Values).Content);
            Assert.EndsWith($"\r\n\r\n{longLine}\r\n{longLine}\r\n", text);
        }
    }
}

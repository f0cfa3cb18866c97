using Mta.Smtp.Tests.Support;

namespace Mta.Smtp.Tests;

public class LimitsTests
{
    private static async Task<RawSmtpClient> ReadyAsync(TestServer server)
    {
        var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO c");
        return client;
    }

    [Fact]
    public async Task MessageSizeIsEnforcedWhileReading()
    {
        await using var server = await TestServer.StartAsync(TestServer.Defaults with { MessageSizeLimit = 2000 });
        await using var client = await ReadyAsync(server);
        await client.CommandAsync("MAIL FROM:<a@b>");
        await client.CommandAsync("RCPT TO:<c@d>");
        await client.CommandAsync("DATA");
        var body = string.Concat(Enumerable.Repeat(new string('y', 70) + "\r\n", 100));
        Assert.Equal("552 5.3.4 Error: message file too big", await client.CommandAsync($"Subject: big\r\n\r\n{body}."));
        Assert.Empty(server.Store.Committed);
        Assert.Empty(server.Store.FilesOnDisk);
        // The session goes on: a small message is accepted.
        await client.CommandAsync("MAIL FROM:<a@b>");
        await client.CommandAsync("RCPT TO:<c@d>");
        await client.CommandAsync("DATA");
        Assert.Matches("^250 2.0.0 Ok: queued as ", await client.CommandAsync("Subject: small\r\n\r\nok\r\n."));
    }

    [Fact]
    public async Task RecipientLimitAnswers452()
    {
        await using var server = await TestServer.StartAsync(TestServer.Defaults with { RecipientLimit = 2 });
        await using var client = await ReadyAsync(server);
        await client.CommandAsync("MAIL FROM:<a@b>");
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<r1@d>"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<r2@d>"));
        Assert.Equal("452 4.5.3 Error: too many recipients", await client.CommandAsync("RCPT TO:<r3@d>"));
    }

    [Fact]
    public async Task OverlongCommandLineIsSkippedAndAnswered()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await ReadyAsync(server);
        Assert.Equal("500 5.5.2 mx.example.com Error: command too long", await client.CommandAsync("NOOP " + new string('z', 3000)));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
        await server.Log.WaitForAsync(l => l.StartsWith("warning: unknown[127.0.0.1]: request longer than 2048"));
    }

    [Fact]
    public async Task HardErrorLimitDisconnectsWith421()
    {
        await using var server = await TestServer.StartAsync(TestServer.Defaults with { HardErrorLimit = 3 });
        await using var client = await ReadyAsync(server);
        Assert.Equal("500 5.5.2 Error: command not recognized", await client.CommandAsync("XYZZY"));
        Assert.Equal("500 5.5.2 Error: command not recognized", await client.CommandAsync("XYZZY"));
        await client.SendAsync("XYZZY\r\n");
        Assert.Equal("500 5.5.2 Error: command not recognized", await client.ReadReplyAsync());
        Assert.Equal("421 4.7.0 mx.example.com Error: too many errors", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
        await server.Log.WaitForAsync(l => l == "NOQUEUE: too many errors after UNKNOWN from unknown[127.0.0.1]");
    }

    [Fact]
    public async Task SoftErrorLimitDelaysReplies()
    {
        var settings = TestServer.Defaults with { SoftErrorLimit = 1, ErrorSleepTime = TimeSpan.FromMilliseconds(400) };
        await using var server = await TestServer.StartAsync(settings);
        await using var client = await ReadyAsync(server);
        await client.CommandAsync("XYZZY");
        var started = DateTime.UtcNow;
        await client.CommandAsync("XYZZY");
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(350));
    }

    [Fact]
    public async Task JunkCommandLimitTurnsNoopsIntoErrors()
    {
        await using var server = await TestServer.StartAsync(TestServer.Defaults with { JunkCommandLimit = 1, HardErrorLimit = 2 });
        await using var client = await ReadyAsync(server); // EHLO: junk count 0 -> 1
        await client.CommandAsync("NOOP");   // 1 -> 2, not over the limit yet
        await client.CommandAsync("NOOP");   // 2 > 1: error 1
        await client.SendAsync("NOOP\r\n"); // error 2
        Assert.Equal("250 2.0.0 Ok", await client.ReadReplyAsync());
        Assert.Equal("421 4.7.0 mx.example.com Error: too many errors", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task IdleClientTimesOutWith421()
    {
        await using var server = await TestServer.StartAsync(TestServer.Defaults with { Timeout = TimeSpan.FromMilliseconds(300) });
        await using var client = await ReadyAsync(server);
        Assert.Equal("421 4.4.2 mx.example.com Error: timeout exceeded", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
        await server.Log.WaitForAsync(l => l == "NOQUEUE: timeout after EHLO from unknown[127.0.0.1]");
    }

    [Fact]
    public async Task LostConnectionDuringDataIsLoggedWithByteCount()
    {
        await using var server = await TestServer.StartAsync();
        await using (var client = await ReadyAsync(server))
        {
            await client.CommandAsync("MAIL FROM:<a@b>");
            await client.CommandAsync("RCPT TO:<c@d>");
            await client.CommandAsync("DATA");
            await client.SendAsync("Subject: x\r\n\r\npartial\r\n");
            await Task.Delay(100);
        }
        await server.Log.WaitForAsync(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\w{15}: lost connection after DATA \(\d+ bytes\) from unknown\[127\.0\.0\.1\]$"));
        Assert.Empty(server.Store.Committed);
        Assert.Empty(server.Store.FilesOnDisk);
    }

    [Fact]
    public async Task TooManyHopsIsRejected()
    {
        await using var server = await TestServer.StartAsync(TestServer.Defaults with { HopcountLimit = 5 });
        await using var client = await ReadyAsync(server);
        await client.CommandAsync("MAIL FROM:<a@b>");
        await client.CommandAsync("RCPT TO:<c@d>");
        await client.CommandAsync("DATA");
        var received = string.Concat(Enumerable.Repeat("Received: from x by y; Mon, 1 Jan 2024 00:00:00 +0000\r\n", 4));
        Assert.Equal("554 5.4.0 Error: too many hops", await client.CommandAsync($"{received}Subject: loop\r\n\r\nx\r\n."));
        Assert.Empty(server.Store.Committed);
    }

    [Fact]
    public async Task OversizedHeaderIsTruncated()
    {
        await using var server = await TestServer.StartAsync(TestServer.Defaults with { HeaderSizeLimit = 100 });
        await using var client = await ReadyAsync(server);
        await client.CommandAsync("MAIL FROM:<a@b>");
        await client.CommandAsync("RCPT TO:<c@d>");
        await client.CommandAsync("DATA");
        var reply = await client.CommandAsync($"X-Big: {new string('h', 300)}\r\n\t{new string('i', 50)}\r\nSubject: s\r\n\r\nbody\r\n.");
        var text = System.Text.Encoding.UTF8.GetString(server.Store.Committed[reply[^15..]].Content);
        Assert.Contains($"\r\nX-Big: {new string('h', 93)}\r\nSubject: s\r\n", text);
    }
}

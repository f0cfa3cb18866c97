using Mta.Smtp.Tests.Support;

namespace Mta.Smtp.Tests;

public class GreetingAndEhloTests
{
    [Fact]
    public async Task GreetingAndEhloListAreExactlyPostfixs()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        Assert.Equal("220 mx.example.com ESMTP Postfix", await client.ReadReplyAsync());
        Assert.Equal(
            "250-mx.example.com\n250-PIPELINING\n250-SIZE 10240000\n250-VRFY\n250-ETRN\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-DSN\n250-SMTPUTF8\n250 CHUNKING",
            await client.CommandAsync("EHLO client.example.org"));
        Assert.Equal("221 2.0.0 Bye", await client.CommandAsync("QUIT"));
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task EhloWithTlsAndSaslAndDiscardedKeywords()
    {
        var settings = TestServer.Defaults with
        {
            TlsSecurityLevel = TlsSecurityLevel.May,
            TlsCertificate = TestCertificate.Server,
            SaslAuthEnable = true,
            TlsAuthOnly = true,
            MessageSizeLimit = 0,
            DisableVrfyCommand = true,
            DiscardEhloKeywords = new HashSet<string> { "dsn", "etrn" },
        };
        await using var server = await TestServer.StartAsync(settings, credentials: PasswordTable.Parse("u:p"));
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        Assert.Equal(
            "250-mx.example.com\n250-PIPELINING\n250-SIZE\n250-STARTTLS\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-SMTPUTF8\n250 CHUNKING",
            await client.CommandAsync("EHLO c"));
        Assert.Equal("220 2.0.0 Ready to start TLS", await client.CommandAsync("STARTTLS"));
        await client.StartTlsAsync();
        Assert.Equal(
            "250-mx.example.com\n250-PIPELINING\n250-SIZE\n250-AUTH PLAIN LOGIN\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-SMTPUTF8\n250 CHUNKING",
            await client.CommandAsync("EHLO c"));
        Assert.Equal("554 5.5.1 Error: TLS already active", await client.CommandAsync("STARTTLS"));
        Assert.Equal("501 5.7.1 DSN support is disabled", await client.CommandAsync("MAIL FROM:<a@b> RET=FULL"));
    }

    [Theory]
    [InlineData("HELO", "501 Syntax: HELO hostname")]
    [InlineData("EHLO", "501 Syntax: EHLO hostname")]
    [InlineData("HELO client", "250 mx.example.com")]
    [InlineData("RSET", "250 2.0.0 Ok")]
    [InlineData("NOOP", "250 2.0.0 Ok")]
    [InlineData("RCPT TO:<a@b>", "503 5.5.1 Error: need MAIL command")]
    [InlineData("DATA", "503 5.5.1 Error: need RCPT command")]
    [InlineData("BLAH", "500 5.5.2 Error: command not recognized")]
    [InlineData("VRFY", "501 5.5.4 Syntax: VRFY address")]
    [InlineData("VRFY <user@example.com>", "252 2.0.0 <user@example.com>")]
    [InlineData("STARTTLS", "502 5.5.1 Error: command not implemented")]
    [InlineData("AUTH PLAIN", "503 5.5.1 Error: authentication not enabled")]
    [InlineData("MAIL FROM:<a@b> SIZE=abc", "501 5.5.4 Bad message size syntax")]
    [InlineData("MAIL FROM:<a@b> SIZE=10240001", "552 5.3.4 Message size exceeds fixed limit")]
    [InlineData("MAIL FROM:<a@b> FOO=bar", "555 5.5.4 Unsupported option: FOO=bar")]
    [InlineData("MAIL FROM:<a@b> BODY=9BIT", "555 5.5.4 Unsupported option: BODY=9BIT")]
    [InlineData("MAIL FROM:<a@b> RET=MAYBE", "501 5.5.4 Bad RET parameter syntax")]
    [InlineData("MAIL FROM:<a b@c>", "501 5.1.7 Bad sender address syntax")]
    [InlineData("MAIL FROM:<a@b", "501 5.1.7 Bad sender address syntax")]
    [InlineData("MAIL TO:<a@b>", "501 5.5.4 Syntax: MAIL FROM:<address>")]
    [InlineData("MAIL FROM:<jöe@example.com>", "553 5.6.7 Must declare SMTPUTF8 to send unicode address")]
    [InlineData("MAIL FROM:<>", "250 2.1.0 Ok")]
    [InlineData("MAIL FROM:user@example.com", "250 2.1.0 Ok")]
    [InlineData("MAIL FROM:<jöe@example.com> SMTPUTF8", "250 2.1.0 Ok")]
    [InlineData("GET / HTTP/1.0", "221 2.7.0 Error: I can break rules, too. Goodbye.")]
    [InlineData("HELP", "214 2.0.0 Commands: AUTH BDAT DATA EHLO ETRN HELO HELP MAIL NOOP QUIT RCPT RSET STARTTLS VRFY")]
    public async Task SingleCommandReplies(string command, string reply)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        Assert.Equal(reply, await client.CommandAsync(command));
    }

    [Theory]
    [InlineData("RCPT TO:<>", "501 5.1.3 Bad recipient address syntax")]
    [InlineData("RCPT TO:<a b@c>", "501 5.1.3 Bad recipient address syntax")]
    [InlineData("RCPT FROM:<a@b>", "501 5.5.4 Syntax: RCPT TO:<address>")]
    [InlineData("RCPT TO:<a@b> NOTIFY=SOMETIMES", "501 5.5.4 Error: Bad NOTIFY parameter syntax")]
    [InlineData("RCPT TO:<a@b> NOTIFY=NEVER,SUCCESS", "501 5.5.4 Error: Bad NOTIFY parameter syntax")]
    [InlineData("RCPT TO:<a@b> ORCPT=nosemicolon", "501 5.5.4 Error: Bad ORCPT parameter syntax")]
    [InlineData("RCPT TO:<a@b> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a+40b", "250 2.1.5 Ok")]
    [InlineData("MAIL FROM:<c@d>", "503 5.5.1 Error: nested MAIL command")]
    [InlineData("DATA extra", "554 5.5.1 Error: no valid recipients")]
    public async Task CommandsInsideATransaction(string command, string reply)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO c");
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@b>"));
        Assert.Equal(reply, await client.CommandAsync(command));
    }

    [Fact]
    public async Task DiscardedEnhancedStatusCodesAreLeftOutOfReplies()
    {
        await using var server = await TestServer.StartAsync(TestServer.Defaults with { DiscardEhloKeywords = new HashSet<string> { "enhancedstatuscodes" } });
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        Assert.DoesNotContain("ENHANCEDSTATUSCODES", await client.CommandAsync("EHLO c"));
        Assert.Equal("250 Ok", await client.CommandAsync("MAIL FROM:<a@b>"));
        Assert.Equal("503 Error: nested MAIL command", await client.CommandAsync("MAIL FROM:<a@b>"));
        await server.Log.WaitForAsync(l => l == "unknown[127.0.0.1]: discarding EHLO keywords: ENHANCEDSTATUSCODES");
    }

    [Fact]
    public async Task HeloRequiredRefusesMailBeforeHelo()
    {
        await using var server = await TestServer.StartAsync(TestServer.Defaults with { HeloRequired = true });
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        Assert.Equal("503 5.5.1 Error: send HELO/EHLO first", await client.CommandAsync("MAIL FROM:<a@b>"));
    }

    [Fact]
    public async Task DisconnectLineCountsCommandsLikePostfix()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO c");
        await client.CommandAsync("MAIL FROM:<a@b>");
        await client.CommandAsync("RCPT TO:<>");
        await client.CommandAsync("RCPT TO:<x@y>");
        await client.SendAsync("DATA\r\n");
        await client.ReadReplyAsync();
        var reply = await client.CommandAsync("Subject: t\r\n\r\nbody\r\n.");
        Assert.Matches("^250 2.0.0 Ok: queued as [0-9A-Za-z]{15}$", reply);
        await client.CommandAsync("QUIT");
        var line = await server.Log.WaitForAsync(l => l.StartsWith("disconnect from"));
        Assert.Equal("disconnect from unknown[127.0.0.1] ehlo=1 mail=1 rcpt=1/2 data=1 quit=1 commands=5/6", line);
        Assert.Contains("connect from unknown[127.0.0.1]", server.Log.Lines);
        var id = reply[^15..];
        Assert.Contains($"{id}: client=unknown[127.0.0.1]", server.Log.Lines);
        Assert.Matches(@"^\w{3} [ 0-9]\d \d\d:\d\d:\d\d mx postfix/smtpd\[\d+\]: connect from unknown\[127\.0\.0\.1\]", server.Log.Text);
    }

    [Fact]
    public async Task NoCommandsLogsZeroOverZero()
    {
        await using var server = await TestServer.StartAsync();
        await using (var client = await server.ConnectAsync())
            await client.ReadReplyAsync();
        Assert.Equal("disconnect from unknown[127.0.0.1] commands=0/0",
            await server.Log.WaitForAsync(l => l.StartsWith("disconnect from")));
        Assert.Contains("NOQUEUE: lost connection after CONNECT from unknown[127.0.0.1]", server.Log.Lines);
    }
}

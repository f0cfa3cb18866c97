using System.Text;
using Mta.Smtp.Tests.Support;

namespace Mta.Smtp.Tests;

/// <summary>RFC 3030 CHUNKING with Postfix's replies (BDAT_README example session).</summary>
public class BdatTests
{
    private static async Task<(TestServer, RawSmtpClient)> TransactionAsync(SmtpdSettings? settings = null)
    {
        var server = await TestServer.StartAsync(settings);
        var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO c");
        await client.CommandAsync("MAIL FROM:<a@b>");
        await client.CommandAsync("RCPT TO:<c@d>");
        return (server, client);
    }

    [Fact]
    public async Task ChunksArePipelinedAndStoredWithCrLf()
    {
        var (server, client) = await TransactionAsync();
        await using (server)
        await using (client)
        {
            // Chunks split a line and a CRLF; the second chunk has a bare LF and no dot-stuffing applies.
            await client.SendAsync("BDAT 14\r\nSubject: t\r\n\r\nBDAT 13\r\n.not\nstuffed\rBDAT 3 LAST\r\n\nx\n");
            Assert.Equal("250 2.0.0 Ok: 14 bytes", await client.ReadReplyAsync());
            Assert.Equal("250 2.0.0 Ok: 13 bytes", await client.ReadReplyAsync());
            var last = await client.ReadReplyAsync();
            Assert.Matches(@"^250 2\.0\.0 Ok: \d+ bytes queued as \w{15}$", last);
            var text = Encoding.UTF8.GetString(server.Store.Committed[last[^15..]].Content);
            Assert.Contains("\r\nSubject: t\r\n", text);
            Assert.EndsWith("\r\n\r\n.not\r\nstuffed\r\nx\r\n", text);
        }
    }

    [Fact]
    public async Task DataAfterBdatAndSyntaxErrors()
    {
        var (server, client) = await TransactionAsync();
        await using (server)
        await using (client)
        {
            await client.SendAsync("BDAT 3\r\nabc");
            Assert.Equal("250 2.0.0 Ok: 3 bytes", await client.ReadReplyAsync());
            Assert.Equal("503 5.5.1 Error: DATA after BDAT", await client.CommandAsync("DATA"));
            Assert.Equal("503 5.5.1 Error: MAIL after BDAT", await client.CommandAsync("MAIL FROM:<x@y>"));
            Assert.Equal("503 5.5.1 Error: RCPT after BDAT", await client.CommandAsync("RCPT TO:<x@y>"));
            Assert.Equal("521 5.5.4 Syntax: BDAT count [LAST]", await client.CommandAsync("BDAT x"));
            Assert.True(await client.IsClosedAsync());
        }
        Assert.Empty(server.Store.Committed);
    }

    [Fact]
    public async Task ChunkOverTheSizeLimitIsRefusedAndSkipped()
    {
        var (server, client) = await TransactionAsync(TestServer.Defaults with { MessageSizeLimit = 500 });
        await using (server)
        await using (client)
        {
            await client.SendAsync("BDAT 600\r\n" + new string('q', 600));
            Assert.Equal("552 5.3.4 Chunk exceeds message size limit", await client.ReadReplyAsync());
            await client.SendAsync("BDAT 2 LAST\r\nzz");
            Assert.Equal("551 5.0.0 Discarded 2 bytes after earlier error", await client.ReadReplyAsync());
            Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("RSET"));
        }
        Assert.Empty(server.Store.Committed);
    }

    [Fact]
    public async Task BdatWithoutRecipientsIsSkipped()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO c");
        await client.SendAsync("BDAT 4 LAST\r\nRSET");
        Assert.Equal("503 5.5.1 Error: need RCPT command", await client.ReadReplyAsync());
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
    }
}

using System.Net;
using System.Text;
using Mta.Smtp.Tests.Support;

namespace Mta.Smtp.Tests;

public class CleanupAndQueueFailureTests
{
    private static async Task<string> SendAsync(TestServer server, string content, int recipients = 1)
    {
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO client.example.org");
        await client.CommandAsync("MAIL FROM:<alice@example.org>");
        for (var i = 0; i < recipients; i++)
            await client.CommandAsync($"RCPT TO:<r{i}@example.com>");
        await client.CommandAsync("DATA");
        return await client.CommandAsync(content + "\r\n.");
    }

    [Fact]
    public async Task LocalSubmissionGetsMessageIdDateAndFrom()
    {
        await using var server = await TestServer.StartAsync();
        var reply = await SendAsync(server, "Subject: no headers\r\n\r\nbody");
        var id = reply[^15..];
        var text = Encoding.UTF8.GetString(server.Store.Committed[id].Content);
        Assert.Matches($"\r\nSubject: no headers\r\nMessage-Id: <\\d{{14}}\\.{id}@mx\\.example\\.com>\r\nDate: \\w{{3}}, \\d{{1,2}} \\w{{3}} \\d{{4}} \\d\\d:\\d\\d:\\d\\d [+-]\\d{{4}} \\(\\w+\\)\r\nFrom: alice@example\\.org\r\n\r\nbody\r\n$", text);
        await server.Log.WaitForAsync(l => System.Text.RegularExpressions.Regex.IsMatch(l, $"^{id}: message-id=<\\d{{14}}\\.{id}@mx\\.example\\.com>$"));
    }

    [Fact]
    public async Task RemoteClientsDoNotGetHeadersAdded()
    {
        var settings = TestServer.Defaults with { LocalHeaderRewriteClients = [IPNetwork.Parse("192.0.2.0/24")] };
        await using var server = await TestServer.StartAsync(settings);
        var reply = await SendAsync(server, "Subject: s\r\nMessage-ID: <abc@example.org>\r\n\r\nbody", recipients: 2);
        var id = reply[^15..];
        var text = Encoding.UTF8.GetString(server.Store.Committed[id].Content);
        Assert.Matches($"^Received: from client\\.example\\.org \\(unknown \\[127\\.0\\.0\\.1\\]\\)\r\n\tby mx\\.example\\.com \\(Postfix\\) with ESMTP id {id};\r\n\t[^\r\n]+\r\nSubject: s\r\nMessage-ID: <abc@example\\.org>\r\n\r\nbody\r\n$", text);
        await server.Log.WaitForAsync(l => l == $"{id}: message-id=<abc@example.org>");
    }

    [Fact]
    public async Task StoreDownAtDataAnswers451AndKeepsNothing()
    {
        await using var server = await TestServer.StartAsync();
        server.Store.FailBegin = true;
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO c");
        await client.CommandAsync("MAIL FROM:<a@b>");
        await client.CommandAsync("RCPT TO:<c@d>");
        Assert.Equal("451 4.3.0 Error: queue file write error", await client.CommandAsync("DATA"));
        Assert.Empty(server.Store.Committed);
    }

    [Fact]
    public async Task CommitFailureAnswers451AndKeepsNothing()
    {
        await using var server = await TestServer.StartAsync();
        server.Store.FailCommit = true;
        Assert.Equal("451 4.3.0 Error: queue file write error", await SendAsync(server, "Subject: s\r\n\r\nbody"));
        Assert.Empty(server.Store.Committed);
        Assert.Empty(server.Store.FilesOnDisk);
        Assert.Equal(0, server.Store.OpenWriters);
    }
}

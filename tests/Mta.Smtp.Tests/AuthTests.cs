using System.Text;
using Mta.Smtp.Tests.Support;

namespace Mta.Smtp.Tests;

public class AuthTests
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private static SmtpdSettings Sasl(bool tlsAuthOnly) => TestServer.Defaults with
    {
        SaslAuthEnable = true, TlsAuthOnly = tlsAuthOnly,
        TlsSecurityLevel = TlsSecurityLevel.May, TlsCertificate = TestCertificate.Server,
    };

    [Fact]
    public async Task AuthLoginAndPlainOverPlaintextWhenAllowed()
    {
        await using var server = await TestServer.StartAsync(Sasl(tlsAuthOnly: false), credentials: PasswordTable.Parse("# users\nbob:hunter2\n"));
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        Assert.Contains("250-AUTH PLAIN LOGIN", await client.CommandAsync("EHLO c"));
        Assert.Equal("334 VXNlcm5hbWU6", await client.CommandAsync("AUTH LOGIN"));
        Assert.Equal("334 UGFzc3dvcmQ6", await client.CommandAsync(B64("bob")));
        Assert.Equal("535 5.7.8 Error: authentication failed: authentication failure", await client.CommandAsync(B64("nope")));
        Assert.Equal("334 ", await client.CommandAsync("AUTH PLAIN"));
        Assert.Equal("501 5.7.0 Authentication aborted", await client.CommandAsync("*"));
        Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync("AUTH PLAIN " + B64("\0bob\0hunter2")));
        Assert.Equal("503 5.5.1 Error: already authenticated", await client.CommandAsync("AUTH PLAIN " + B64("\0bob\0hunter2")));
    }

    [Fact]
    public async Task LongSaslResponsesAreBoundedBySaslResponseLimit()
    {
        var settings = Sasl(tlsAuthOnly: false) with { SaslResponseLimit = 4000 };
        await using var server = await TestServer.StartAsync(settings, credentials: PasswordTable.Parse("bob:" + new string('p', 2500)));
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO c");
        Assert.Equal("334 ", await client.CommandAsync("AUTH PLAIN"));
        Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync(B64("\0bob\0" + new string('p', 2500))));
    }

    [Fact]
    public async Task AuthOnlyAfterStarttlsWhenTlsAuthOnly()
    {
        await using var server = await TestServer.StartAsync(Sasl(tlsAuthOnly: true), credentials: PasswordTable.Parse("bob:hunter2"));
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        Assert.DoesNotContain("AUTH", await client.CommandAsync("EHLO c"));
        Assert.Equal("503 5.5.1 Error: authentication not enabled", await client.CommandAsync("AUTH PLAIN " + B64("\0bob\0hunter2")));
        await client.CommandAsync("STARTTLS");
        await client.StartTlsAsync();
        await client.CommandAsync("EHLO c");
        await client.CommandAsync("MAIL FROM:<a@b>");
        Assert.Equal("503 5.5.1 Error: MAIL transaction in progress", await client.CommandAsync("AUTH PLAIN " + B64("\0bob\0hunter2")));
        await client.CommandAsync("RSET");
        Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync("AUTH PLAIN " + B64("\0bob\0hunter2")));
    }

    [Fact]
    public async Task AcceptedMessageMovesTheMetrics()
    {
        var accepted = SmtpdMetrics.MessagesAccepted.Value;
        var sessions = SmtpdMetrics.Sessions.Value;
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO c");
        await client.CommandAsync("MAIL FROM:<a@b>");
        await client.CommandAsync("RCPT TO:<c@d>");
        await client.CommandAsync("DATA");
        await client.CommandAsync("Subject: s\r\n\r\nx\r\n.");
        Assert.True(SmtpdMetrics.MessagesAccepted.Value >= accepted + 1);
        Assert.True(SmtpdMetrics.Sessions.Value >= sessions + 1);
        Assert.True(SmtpdMetrics.AcceptLatency.Count >= 1);
    }
}

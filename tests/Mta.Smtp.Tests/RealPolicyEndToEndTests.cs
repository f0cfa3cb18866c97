using System.Net;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Mta.Config.Tables;
using Mta.Smtp.Policy;
using Mta.Smtp.Tests.Support;

namespace Mta.Smtp.Tests;

/// <summary>smtpd with the real SmtpdPolicy: 127.0.0.1 is outside mynetworks, so relaying needs AUTH.</summary>
public class RealPolicyEndToEndTests
{
    private static SmtpdPolicy Policy(string virtualAliasMaps = "") => new(new SmtpdPolicySettings
    {
        MyHostname = "mx.example.com",
        MyDestination = "mx.example.com, example.com",
        MyNetworks = "192.0.2.0/24",
        InterfaceAddresses = [IPAddress.Parse("203.0.113.1")],
        VirtualAliasMaps = virtualAliasMaps,
    }, new LookupTableFactory(), new FakeDns());

    [Fact]
    public async Task OutsideClientCannotRelayButCanDeliverLocally()
    {
        await using var server = await TestServer.StartAsync(policy: Policy());
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO client.example.net");
        await client.CommandAsync("MAIL FROM:<sender@example.net>");
        Assert.Equal("454 4.7.1 <x@remote.example.net>: Relay access denied", await client.CommandAsync("RCPT TO:<x@remote.example.net>"));
        Assert.Equal("454 4.7.1 <x%remote.example.net@example.com>: Relay access denied", await client.CommandAsync("RCPT TO:<x%remote.example.net@example.com>"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<postmaster@example.com>"));
        await server.Log.WaitForAsync(l => l.EndsWith(": reject: RCPT from unknown[127.0.0.1]: 454 4.7.1 <x@remote.example.net>: Relay access denied; from=<sender@example.net> to=<x@remote.example.net> proto=ESMTP helo=<client.example.net>"));
    }

    [Fact]
    public async Task AuthenticatedMailKitClientMayRelay()
    {
        var settings = TestServer.Defaults with
        {
            TlsSecurityLevel = TlsSecurityLevel.May, TlsCertificate = TestCertificate.Server, SaslAuthEnable = true, TlsAuthOnly = true,
        };
        await using var server = await TestServer.StartAsync(settings, Policy(), PasswordTable.Parse("alice:pw"));
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync("alice", "pw");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("alice@example.com"));
        message.To.Add(MailboxAddress.Parse("friend@remote.example.net"));
        message.Subject = "relay";
        message.Body = new TextPart("plain") { Text = "hi" };
        var reply = await client.SendAsync(message);
        await client.DisconnectAsync(true);
        var id = reply.Split(' ')[^1];
        Assert.Equal("friend@remote.example.net", Assert.Single(server.Store.Committed[id].Envelope.Recipients).Address);
    }

    [Fact]
    public async Task VirtualAliasRewritingIsStoredWithTheOriginalRecipient()
    {
        await using var server = await TestServer.StartAsync(policy: Policy("inline:{ {info@example.com = alice@example.com, bob@example.com} }"));
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO c");
        await client.CommandAsync("MAIL FROM:<s@example.net>");
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<info@example.com>"));
        await client.CommandAsync("DATA");
        var reply = await client.CommandAsync("Subject: s\r\n\r\nx\r\n.");
        var (envelope, content) = server.Store.Committed[reply[^15..]];
        Assert.Equal(["alice@example.com", "bob@example.com"], envelope.Recipients.Select(r => r.Address));
        Assert.All(envelope.Recipients, r => Assert.Equal("info@example.com", r.OriginalAddress));
        Assert.Contains("\tfor <info@example.com>; ", Encoding.UTF8.GetString(content));
    }
}

using System.Net.Sockets;
using Mta.Delivery.Smtp;

namespace Mta.Delivery.Tests.Smtp;

/// <summary>Tables for the pieces: next-hop syntax, reply parsing, settings binding.</summary>
public sealed class SmtpClientPartsTests
{
    [Theory]
    [InlineData("example.com", false, "example.com", 25, true, null)]
    [InlineData("example.com:2525", false, "example.com", 2525, true, null)]
    [InlineData("[mx.example.com]", false, "mx.example.com", 25, false, null)]
    [InlineData("[mx.example.com]:587", false, "mx.example.com", 587, false, null)]
    [InlineData("[192.0.2.1]:submission", false, "192.0.2.1", 587, false, null)]
    [InlineData("[ipv6:2001:db8::1]:26", false, "2001:db8::1", 26, false, null)]
    [InlineData("inet:mail.example.com:2525", false, "mail.example.com", 2525, true, null)]
    [InlineData("192.0.2.7", false, "192.0.2.7", 25, false, null)]
    [InlineData("inet:dovecot.example:24", true, "dovecot.example", 24, false, null)]
    [InlineData("dovecot.example", true, "dovecot.example", 25, false, null)]
    [InlineData("unix:/run/dovecot/lmtp", true, "/run/dovecot/lmtp", 0, false, "/run/dovecot/lmtp")]
    public void NexthopForms(string text, bool lmtp, string host, int port, bool lookupMx, string? unixPath)
    {
        var hop = Nexthop.Parse(text, 25, lmtp);

        Assert.Equal(new Nexthop(host, port, lookupMx, unixPath), hop);
    }

    [Theory]
    [InlineData("[unclosed")]
    [InlineData("[host]garbage")]
    [InlineData("host:notaport")]
    public void BadNexthopsAreRejected(string text) =>
        Assert.Throws<FormatException>(() => Nexthop.Parse(text, 25, lmtp: false));

    [Theory]
    [InlineData(new[] { "250 2.1.5 Ok" }, 250, "2.1.5", "250 2.1.5 Ok")]
    [InlineData(new[] { "550 User unknown" }, 550, "5.0.0", "550 User unknown")]
    [InlineData(new[] { "450 5.1.1 mismatched class" }, 450, "4.0.0", "450 5.1.1 mismatched class")]
    [InlineData(new[] { "452-4.2.2 one", "452 4.2.2 two" }, 452, "4.2.2", "452-4.2.2 one 452 4.2.2 two")]
    [InlineData(new[] { "354 go ahead" }, 354, "5.5.0", "354 go ahead")]
    [InlineData(new[] { "250 2.0.0Ok" }, 250, "2.0.0", "250 2.0.0Ok")] // not a DSN: no separator after it
    public void ReplyCodeAndDsnAsPostfixDerivesThem(string[] lines, int code, string dsn, string text)
    {
        var reply = ServerReply.FromLines(lines);

        Assert.Equal((code, dsn, text), (reply.Code, reply.Dsn, reply.Text));
    }

    [Fact]
    public void EhloKeywordsAreRecognised()
    {
        var reply = ServerReply.FromLines(["250-mx.example", "250-PIPELINING", "250-SIZE 52428800", "250-8BITMIME", "250-STARTTLS", "250-DSN", "250 SMTPUTF8"]);

        Assert.Equal(new EhloFeatures(Esmtp: true, Pipelining: true, Size: true, SizeLimit: 52428800, EightBitMime: true, Smtputf8: true, Dsn: true, StartTls: true),
            EhloFeatures.Parse(reply));
    }

    [Fact]
    public void SmtpAndLmtpBindTheirOwnParameters()
    {
        var parameters = new Mta.Config.ParameterSet(Mta.Config.ParameterCatalogue.All, null, [
            new("smtp_rcpt_timeout", "7s"), new("lmtp_rcpt_timeout", "9s"), new("smtp_tls_security_level", "encrypt"),
            new("disable_dns_lookups", "yes"), new("inet_protocols", "ipv6"), new("smtp_helo_name", "out.example"),
        ]);

        var smtp = SmtpClientSettingsBinder.Bind(parameters, lmtp: false);
        var lmtp = SmtpClientSettingsBinder.Bind(parameters, lmtp: true);

        Assert.Equal((TimeSpan.FromSeconds(7), 25, TlsSecurityLevel.Encrypt, "out.example"), (smtp.RcptTimeout, smtp.DefaultPort, smtp.TlsLevel, smtp.HeloName));
        Assert.Equal((TimeSpan.FromSeconds(9), 24, TlsSecurityLevel.None), (lmtp.RcptTimeout, lmtp.DefaultPort, lmtp.TlsLevel));
        Assert.Equal(DnsSupportLevel.Disabled, smtp.DnsSupport);
        Assert.Equal([AddressFamily.InterNetworkV6], smtp.AddressFamilies);
    }

    [Theory]
    [InlineData("127.0.0.1:5353", "127.0.0.1:5353")]
    [InlineData("127.0.0.1", "127.0.0.1:53")]
    [InlineData("[::1]:5300", "[::1]:5300")]
    public void DnsServerOverrideSyntax(string text, string endpoint) =>
        Assert.Equal(endpoint, SmtpDns.ParseServer(text)!.ToString());
}

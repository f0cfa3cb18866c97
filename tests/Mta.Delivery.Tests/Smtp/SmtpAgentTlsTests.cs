using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mta.Delivery.Smtp;
using Mta.Queue;

namespace Mta.Delivery.Tests.Smtp;

/// <summary>STARTTLS per smtp_tls_security_level against a server with a self-signed certificate.</summary>
public sealed class SmtpAgentTlsTests
{
    private const string Body = "Subject: tls\r\n\r\nsecret\r\n";

    [Fact]
    public async Task MayUsesStartTlsWhenOffered()
    {
        using var certificate = SelfSigned("mx.tls.test");
        await using var server = new ScriptedSmtpServer { Certificate = certificate };
        await using var harness = new SmtpAgentHarness(parameters: [("smtp_tls_security_level", "may")]);

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Body, ["a@x.test"])));

        Assert.Equal(RecipientStatus.Delivered, result.Outcome.Status);
        var session = Assert.Single(server.Sessions);
        Assert.True(session.Tls);
        Assert.Equal(["EHLO client.test", "STARTTLS", "EHLO client.test"], session.Commands.Take(3));
        Assert.Contains(harness.Log.Lines, l => l.StartsWith($"postfix/smtp: Untrusted TLS connection established to 127.0.0.1[127.0.0.1]:{server.Port}: TLSv1.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MayFallsBackToPlaintextAfterAFailedHandshake()
    {
        using var certificate = SelfSigned("mx.tls.test");
        await using var server = new ScriptedSmtpServer { Certificate = certificate, BreakTlsHandshake = true };
        await using var harness = new SmtpAgentHarness(parameters: [("smtp_tls_security_level", "may")]);

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Body, ["a@x.test"])));

        Assert.Equal(RecipientStatus.Delivered, result.Outcome.Status);
        var sessions = server.Sessions.ToArray();
        Assert.Equal(2, sessions.Length);
        Assert.Contains("STARTTLS", sessions[0].Commands);
        Assert.DoesNotContain("STARTTLS", sessions[1].Commands);
        Assert.Contains(harness.Log.Lines, l => l == $"postfix/smtp: Cannot start TLS: handshake failure: retrying 127.0.0.1[127.0.0.1]:{server.Port} without TLS");
    }

    [Fact]
    public async Task EncryptDefersAfterAFailedHandshake()
    {
        using var certificate = SelfSigned("mx.tls.test");
        await using var server = new ScriptedSmtpServer { Certificate = certificate, BreakTlsHandshake = true };
        await using var harness = new SmtpAgentHarness(parameters: [("smtp_tls_security_level", "encrypt")]);

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Body, ["a@x.test"])));

        Assert.Equal(RecipientOutcome.Deferred("4.7.5", "Cannot start TLS: handshake failure"), result.Outcome);
        Assert.Single(server.Sessions);
    }

    [Fact]
    public async Task NoneNeverStartsTls()
    {
        using var certificate = SelfSigned("mx.tls.test");
        await using var server = new ScriptedSmtpServer { Certificate = certificate };
        await using var harness = new SmtpAgentHarness(parameters: [("smtp_tls_security_level", "none")]);

        Assert.Equal(RecipientStatus.Delivered,
            Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Body, ["a@x.test"]))).Outcome.Status);

        Assert.False(Assert.Single(server.Sessions).Tls);
    }

    [Fact]
    public async Task EncryptDefersWhenTlsIsNotOffered()
    {
        await using var server = new ScriptedSmtpServer();
        await using var harness = new SmtpAgentHarness(parameters: [("smtp_tls_security_level", "encrypt")]);

        var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request($"[127.0.0.1]:{server.Port}", Body, ["a@x.test"])));

        Assert.Equal(RecipientOutcome.Deferred("4.7.4", "TLS is required, but was not offered by host 127.0.0.1[127.0.0.1]"), result.Outcome);
        Assert.DoesNotContain(Assert.Single(server.Sessions).Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("mx.secure.test", RecipientStatus.Delivered)]
    [InlineData("other.name.test", RecipientStatus.Deferred)]
    public async Task VerifyChecksTheCertificateAgainstCAfileAndMxName(string certificateName, RecipientStatus expected)
    {
        using var certificate = SelfSigned(certificateName);
        var caFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(caFile, certificate.ExportCertificatePem());
            await using var dns = new TestDnsServer();
            await using var server = new ScriptedSmtpServer { Certificate = certificate };
            dns.Mx("secure.test", 10, "mx.secure.test").A("mx.secure.test", "127.0.0.1");
            await using var harness = new SmtpAgentHarness(dns: SmtpDns.CreateClient(dns.EndPoint), portForHost: _ => server.Port,
                parameters: [("smtp_tls_security_level", "verify"), ("smtp_tls_CAfile", caFile)]);

            var result = Assert.Single(await harness.DeliverAsync(SmtpAgentHarness.Request("secure.test", Body, ["a@secure.test"])));

            Assert.Equal(expected, result.Outcome.Status);
            if (expected == RecipientStatus.Delivered)
                Assert.Contains(harness.Log.Lines, l => l.StartsWith("postfix/smtp: Verified TLS connection established to mx.secure.test[127.0.0.1]", StringComparison.Ordinal));
            else
                Assert.Equal(RecipientOutcome.Deferred("4.7.5", "Server certificate not verified"), result.Outcome);
        }
        finally
        {
            File.Delete(caFile);
        }
    }

    /// <summary>A self-signed server certificate for <paramref name="name"/>, usable by SslStream on Linux.</summary>
    internal static X509Certificate2 SelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}

using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Mta.Delivery.Smtp;

/// <summary>
/// Checks the server certificate without failing the handshake, so the session can be classified the way
/// Postfix logs it ("Untrusted", "Trusted", "Verified TLS connection established to ...") and the policy
/// (may/encrypt accept anything, verify/secure need Verified) is applied afterwards.
/// Trust anchors: smtp_tls_CAfile when set, else the system store.
/// </summary>
internal sealed class TlsVerification(string caFile)
{
    /// <summary>"Untrusted" (no trusted chain), "Trusted" (chain ok, name not matched) or "Verified".</summary>
    public string Trust { get; private set; } = "Untrusted";

    public SslClientAuthenticationOptions Options(string hostName) => new()
    {
        TargetHost = hostName,
        RemoteCertificateValidationCallback = Check,
        // Never fetch intermediates or revocation data over the network during a handshake.
        CertificateChainPolicy = new X509ChainPolicy { DisableCertificateDownloads = true, RevocationMode = X509RevocationMode.NoCheck },
    };

    private bool Check(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return true;
        var trusted = !errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors);
        if (caFile.Length > 0)
            trusted = ChainsTo(certificate, caFile);
        if (trusted)
            Trust = errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ? "Trusted" : "Verified";
        return true;
    }

    private static bool ChainsTo(X509Certificate certificate, string caFile)
    {
        try
        {
            var anchors = new X509Certificate2Collection();
            anchors.ImportFromPemFile(caFile);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    /// <summary>OpenSSL's protocol names, as Postfix logs them.</summary>
    public static string ProtocolName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
#pragma warning disable CS0618, SYSLIB0039 // old protocols only named, never enabled
        SslProtocols.Tls11 => "TLSv1.1",
        SslProtocols.Tls => "TLSv1",
#pragma warning restore CS0618, SYSLIB0039
        _ => protocol.ToString(),
    };
}

namespace Mta.Delivery.Smtp;

/// <summary>smtp_tls_security_level / lmtp_tls_security_level values this client implements.</summary>
public enum TlsSecurityLevel
{
    /// <summary>"none" (or empty): never STARTTLS.</summary>
    None,
    /// <summary>"may": STARTTLS when offered, certificate not checked; plaintext when the handshake fails.</summary>
    May,
    /// <summary>"encrypt": STARTTLS required, certificate not checked.</summary>
    Encrypt,
    /// <summary>"verify": STARTTLS required, certificate chain trusted (smtp_tls_CAfile) and naming the MX host.</summary>
    Verify,
    /// <summary>"secure": as verify (Postfix also matches the next-hop domain; we match the host name we connected to).</summary>
    Secure,
}

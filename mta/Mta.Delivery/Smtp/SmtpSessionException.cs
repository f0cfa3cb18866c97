namespace Mta.Delivery.Smtp;

/// <summary>
/// The conversation broke (lost connection, timeout, unparsable reply) or the server refused the session:
/// carries Postfix's failure, e.g. "conversation with mx[192.0.2.1] timed out while sending RCPT TO" (4.4.2).
/// </summary>
public sealed class SmtpSessionException(SmtpFailure failure, Exception? inner = null) : Exception(failure.Text, inner)
{
    public SmtpFailure Failure { get; } = failure;

    /// <summary>The TCP (or UNIX-socket) connection itself failed: no session was established.</summary>
    public bool ConnectFailed { get; init; }

    /// <summary>TLS at level "may" failed after STARTTLS: the same server may be tried again without TLS.</summary>
    public bool RetryWithoutTls { get; init; }

    /// <summary>Soft when not on the final server, hard on the final one (Postfix's SMTP_MISC_FAIL_SOFT_NON_FINAL).</summary>
    public bool SoftUnlessFinal { get; init; }
}

namespace Mta.Smtp.Policy;

/// <summary>
/// Address rewriting could not finish (table unreachable, alias expansion too deep or too wide); the message
/// must not be accepted now. <see cref="Reply"/> is what smtpd answers, e.g. "451 4.6.0 Error: Alias expansion error".
/// </summary>
public sealed class AddressRewriteException(SmtpReply reply, string logText, Exception? inner = null)
    : Exception(logText, inner)
{
    public SmtpReply Reply { get; } = reply;
}

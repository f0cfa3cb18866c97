namespace Mta.Delivery.Smtp;

/// <summary>
/// Why an attempt failed, Postfix's DSN buffer: an enhanced status code and the reason text, plus the
/// remote server's own reply when it gave one (for the DSN's Remote-MTA and Diagnostic-Code).
/// </summary>
/// <param name="Dsn">"4.4.1", "5.1.1", ...</param>
/// <param name="Text">Postfix's reason text, e.g. "connect to mx[192.0.2.1]:25: Connection refused".</param>
/// <param name="RemoteHost">The server that answered (Remote-MTA), or null when we never got an answer.</param>
/// <param name="RemoteReply">The server's reply (Diagnostic-Code "smtp; ..."), or null.</param>
public sealed record SmtpFailure(string Dsn, string Text, string? RemoteHost = null, string? RemoteReply = null)
{
    public bool IsSoft => Dsn.Length > 0 && Dsn[0] == '4';
}

namespace Mta.Smtp;

/// <summary>
/// One SMTP reply as Postfix would send it: "Code EnhancedCode Text" (EnhancedCode may be empty for the
/// few replies Postfix sends without one, e.g. "250 Queuing started"). Text may not contain line breaks.
/// </summary>
public sealed record SmtpReply(int Code, string EnhancedCode, string Text)
{
    /// <summary>The reply line without CRLF, e.g. "554 5.7.1 &lt;x@y&gt;: Relay access denied".</summary>
    public override string ToString() =>
        EnhancedCode.Length == 0 ? $"{Code} {Text}" : $"{Code} {EnhancedCode} {Text}";

    public bool IsTransient => Code is >= 400 and < 500;
    public bool IsPermanent => Code >= 500;
}

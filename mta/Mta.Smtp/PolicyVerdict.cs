namespace Mta.Smtp;

/// <summary>
/// The answer of one policy check: permit, or an exact reply to send instead of the normal one.
/// smtpd writes the reject log line itself ("NOQUEUE: reject: RCPT from host[addr]: REPLY; from=&lt;s&gt; to=&lt;r&gt;
/// proto=ESMTP helo=&lt;h&gt;"), using <see cref="Reply"/> unless <see cref="LogText"/> overrides the part after "from host[addr]: ".
/// </summary>
public readonly record struct PolicyVerdict
{
    /// <summary>Null means permit (DUNNO at the end of every list is a permit too).</summary>
    public SmtpReply? Reply { get; init; }

    /// <summary>Optional log text replacing the reply in the reject line; null logs the reply.</summary>
    public string? LogText { get; init; }

    /// <summary>Close the connection after sending the reply (421/521 from access maps).</summary>
    public bool Disconnect { get; init; }

    public bool IsPermit => Reply is null;

    public static PolicyVerdict Permit => default;

    public static PolicyVerdict Reject(SmtpReply reply, string? logText = null, bool disconnect = false) =>
        new() { Reply = reply, LogText = logText, Disconnect = disconnect };

    public static PolicyVerdict Reject(int code, string enhancedCode, string text) =>
        Reject(new SmtpReply(code, enhancedCode, text));
}

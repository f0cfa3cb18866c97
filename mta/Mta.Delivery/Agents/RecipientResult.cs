using Mta.Queue;

namespace Mta.Delivery.Agents;

/// <summary>
/// What happened to one recipient in one attempt, with what the log line needs:
/// <c>to=&lt;FinalAddress&gt;, orig_to=&lt;...&gt;, relay=Relay, delay=..., delays=a/b/c/d, dsn=Outcome.Dsn, status=sent (Outcome.Reason)</c>.
/// </summary>
/// <param name="Index">The envelope recipient index (as in <see cref="DeliveryRecipient.Index"/>).</param>
/// <param name="Outcome">Delivered (2.x.x), Deferred (4.x.x) or Bounced (5.x.x), with Postfix's reason text, e.g. "250 2.0.0 Ok: queued as X", "delivered to maildir".</param>
/// <param name="Relay">Postfix's relay= field: "mx.example.com[192.0.2.1]:25", "local", "virtual", "none".</param>
/// <param name="FinalAddress">The address actually delivered to when it differs from the request's (alias members); null otherwise.</param>
/// <param name="ConnectSetup">delays= c: DNS, connect, greeting, EHLO, TLS (zero for local agents).</param>
/// <param name="Transmission">delays= d: message transmission.</param>
/// <param name="RemoteMta">DSN Remote-MTA (dns; host) when a remote server answered; null otherwise.</param>
/// <param name="DiagnosticCode">DSN Diagnostic-Code (e.g. "smtp; 550 5.1.1 ... User unknown") when a remote server answered; null otherwise.</param>
public sealed record RecipientResult(
    int Index,
    RecipientOutcome Outcome,
    string Relay,
    string? FinalAddress = null,
    TimeSpan ConnectSetup = default,
    TimeSpan Transmission = default,
    string? RemoteMta = null,
    string? DiagnosticCode = null);

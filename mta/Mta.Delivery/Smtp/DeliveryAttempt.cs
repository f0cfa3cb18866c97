using System.Diagnostics;
using Mta.Delivery.Agents;
using Mta.Queue;

namespace Mta.Delivery.Smtp;

/// <summary>
/// The recipients of one delivery request while servers are tried in turn: those still pending (never tried,
/// or kept after a soft failure on a non-final server) and the final results so far, with the delays= c/d
/// split (connection setup ends when MAIL FROM is about to be sent).
/// </summary>
internal sealed class DeliveryAttempt
{
    private readonly List<RecipientResult> _results = [];
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _setupDone;
    private readonly Action<string> _info;
    private readonly string _queueId;

    public DeliveryAttempt(DeliveryRequest request, Action<string> info)
    {
        Pending = [.. request.Recipients];
        _info = info;
        _queueId = request.Id.Value;
    }

    /// <summary>Recipients without a final result yet, in request order.</summary>
    public List<DeliveryRecipient> Pending { get; }

    public IReadOnlyList<RecipientResult> Results => _results;

    /// <summary>The most recent failure that left recipients pending: what they get when no server is left.</summary>
    public SmtpFailure? LastFailure { get; set; }

    /// <summary>Marks the end of connection setup (delays= c) if not marked yet.</summary>
    public void SetupDone()
    {
        if (_setupDone == 0)
            _setupDone = Stopwatch.GetTimestamp();
    }

    public void Delivered(DeliveryRecipient recipient, ServerReply reply, SmtpTarget target) =>
        Complete(recipient, RecipientOutcome.Delivered(reply.Dsn, reply.Text), target.Relay,
            "dns; " + target.HostName, "smtp; " + reply.Text);

    /// <summary>
    /// A failure for one recipient: a soft one on a server that is not the last to try keeps the recipient for
    /// the next server (and is logged); otherwise the recipient is deferred (4.x.x) or bounced (5.x.x).
    /// </summary>
    public void Fail(DeliveryRecipient recipient, SmtpFailure failure, bool finalServer, string relay)
    {
        if (failure.IsSoft && !finalServer)
        {
            _info($"{_queueId}: {failure.Text}");
            LastFailure = failure;
            return;
        }
        var outcome = failure.IsSoft
            ? RecipientOutcome.Deferred(failure.Dsn, failure.Text)
            : RecipientOutcome.Bounced(failure.Dsn, failure.Text);
        Complete(recipient, outcome, relay,
            failure.RemoteHost is null ? null : "dns; " + failure.RemoteHost,
            failure.RemoteReply is null ? null : "smtp; " + failure.RemoteReply);
    }

    /// <summary>The same failure for every pending recipient (Postfix's smtp_bulk_fail); once logged when kept.</summary>
    public void FailAll(SmtpFailure failure, bool finalServer, string relay)
    {
        if (failure.IsSoft && !finalServer)
        {
            _info($"{_queueId}: {failure.Text}");
            LastFailure = failure;
            return;
        }
        foreach (var recipient in Pending.ToArray())
            Fail(recipient, failure, finalServer: true, relay);
    }

    private void Complete(DeliveryRecipient recipient, RecipientOutcome outcome, string relay, string? remoteMta, string? diagnostic)
    {
        if (!Pending.Remove(recipient))
            return;
        var now = Stopwatch.GetTimestamp();
        var setupEnd = _setupDone == 0 ? now : _setupDone;
        _results.Add(new RecipientResult(recipient.Index, outcome, relay,
            ConnectSetup: Stopwatch.GetElapsedTime(_start, setupEnd),
            Transmission: Stopwatch.GetElapsedTime(setupEnd, now),
            RemoteMta: remoteMta,
            DiagnosticCode: diagnostic));
    }
}

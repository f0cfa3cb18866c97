using System.Buffers;
using System.Diagnostics;
using Mta.Queue;

namespace Mta.Smtp.Server;

/// <summary>DATA and BDAT: content into the queue store through inline cleanup, then the durable commit.</summary>
internal sealed partial class SmtpSession
{
    private long _dataBytes = -1;
    private bool _bdatSkipping;

    private async ValueTask<bool> DataAsync(string args)
    {
        var tx = _transaction;
        if (tx is { InBdat: true })
            return await FailAsync("503 5.5.1 Error: DATA after BDAT");
        if (tx is null)
            return await FailAsync("503 5.5.1 Error: need RCPT command");
        if (tx.AcceptedRecipients.Count == 0)
            return await FailAsync("554 5.5.1 Error: no valid recipients");
        if (args.Length > 0)
            return await FailAsync("501 5.5.4 Syntax: DATA");
        var verdict = await _policy.CheckDataAsync(_info, tx.Sender, tx.AcceptedRecipients, _aborted);
        if (!verdict.IsPermit)
        {
            await PolicyRejectAsync(verdict, "data");
            return false;
        }
        if (!await OpenMessageAsync(tx))
            return await FailAsync("451 4.3.0 Error: queue file write error");

        await ReplyAsync("354 End data with <CR><LF>.<CR><LF>");
        var content = tx.Content!;
        _dataBytes = 0;
        var previousPartial = false;
        var previousBareLf = false;
        while (true)
        {
            var status = await ReadLineAsync(command: false);
            if (status == LineStatus.Closed)
                throw new ConnectionClosedException();
            var partial = status == LineStatus.Partial;
            var line = _reader.Line;
            var bareLf = _reader.GotBareLf;
            _dataBytes += line.Length + (partial ? 0 : 2);
            NoteBareLf(content, bareLf);
            if (!previousPartial && line.Length > 0 && line[0] == (byte)'.')
            {
                // Only <CR><LF>.<CR><LF> ends DATA: a "." line next to a bare LF is dropped, never an end.
                if (line.Length == 1 && !partial && _detectBareLf && (bareLf || previousBareLf))
                {
                    previousBareLf = bareLf;
                    continue;
                }
                line = line[1..];
                if (line.Length == 0 && !partial)
                    break;
            }
            previousPartial = partial;
            previousBareLf = bareLf;
            content.WriteRecord(line, partial);
            if (content.NeedsFlush)
                await content.FlushAsync(_aborted);
        }
        _where = "END-OF-MESSAGE";
        return await FinishMessageAsync(tx, bdat: false);
    }

    private void NoteBareLf(MessageContentWriter content, bool bareLf)
    {
        if (!bareLf)
            return;
        if (_settings.ForbidBareNewline == BareNewlineMode.Reject)
            content.Fail(CleanupStatus.BareLf);
        else if (_settings.ForbidBareNewline == BareNewlineMode.Note)
            _noteBareLf = true;
    }

    /// <summary>Opens the queue file (cleanup) and writes our Received: header first.</summary>
    private async ValueTask<bool> OpenMessageAsync(MailTransaction tx)
    {
        try
        {
            tx.Writer = await _store.BeginMessageAsync(tx.QueueId, _aborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log($"warning: {tx.QueueId}: queue file write error: {e.Message}");
            return false;
        }
        var addMissing = _settings.AlwaysAddMissingHeaders || IsLocalHeaderRewriteClient();
        MessageContentWriter? content = null;
        content = new MessageContentWriter(tx.Writer, _settings,
            addMissing ? () => CleanupHeaders.Missing(content!, _settings, tx.QueueId, tx.StoredSender, tx.Arrival) : null);
        foreach (var header in _policy.SavedMessageActions(_info).Prepend)
            content.WritePrependedHeader(header);
        content.WriteReceivedHeader(CleanupHeaders.Received(_info, _settings, tx.QueueId, tx.AcceptedRecipients, tx.Arrival));
        tx.Content = content;
        return true;
    }

    private bool IsLocalHeaderRewriteClient()
    {
        if (_settings.LocalHeaderRewriteSaslAuthenticated && _info.IsAuthenticated)
            return true;
        var a = _info.ClientAddress.IsIPv4MappedToIPv6 ? _info.ClientAddress.MapToIPv4() : _info.ClientAddress;
        return _settings.LocalHeaderRewriteClients.Any(n => n.Contains(a));
    }

    /// <summary>End of content: end-of-data policy, durable commit, then the one reply (common_post_message_handling).</summary>
    private async ValueTask<bool> FinishMessageAsync(MailTransaction tx, bool bdat)
    {
        var started = Stopwatch.GetTimestamp();
        var content = tx.Content!;
        content.Complete();
        await content.FlushAsync(_aborted);
        var status = content.Status;
        if (status == CleanupStatus.Ok)
        {
            var verdict = await _policy.CheckEndOfDataAsync(_info, tx.Sender, tx.AcceptedRecipients, content.Size, _aborted);
            if (!verdict.IsPermit)
            {
                await PolicyRejectAsync(verdict, "end_of_data");
                await DiscardTransactionAsync();
                return false;
            }
            var actions = _policy.SavedMessageActions(_info);
            try
            {
                if (actions.Discard)
                    await tx.DiscardAsync(); // cleanup's DISCARD: the client hears 250, nothing is kept
                else if (actions.Hold)
                    await tx.Writer!.CommitToHoldAsync(await FinalEnvelopeAsync(tx, actions), _aborted); // kept until postsuper -H
                else
                    await tx.Writer!.CommitAsync(await FinalEnvelopeAsync(tx, actions), _aborted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log($"warning: {tx.QueueId}: queue file write error: {e.Message}");
                status |= CleanupStatus.Write;
            }
        }
        else if (content.WriteError is { } writeError)
            Log($"warning: {tx.QueueId}: queue file write error: {writeError.Message}");

        if (status == CleanupStatus.Ok)
        {
            var messageId = content.MessageId ?? (content.SawMessageId ? "" : ComputedMessageId(tx));
            Log($"{tx.QueueId}: message-id={messageId}");
            SmtpdMetrics.MessagesAccepted.Inc();
            SmtpdMetrics.ReceivedBytes.Inc(content.Size);
            SmtpdMetrics.AcceptLatency.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            tx.Writer = null; // committed: nothing to discard
            var id = tx.QueueId;
            var size = content.Size;
            await DiscardTransactionAsync();
            _errorCount = 0;
            _junkCommands = 0;
            await ReplyAsync(bdat ? $"250 2.0.0 Ok: {size} bytes queued as {id}" : $"250 2.0.0 Ok: queued as {id}");
            return true;
        }

        string reply;
        if ((status & CleanupStatus.BareLf) != 0)
        {
            LogWhatsup("reject", "bare <LF> received");
            Reject("bare_lf");
            reply = $"{_settings.ForbidBareNewlineRejectCode} 5.5.2 {_settings.MyHostname} Error: bare <LF> received";
        }
        else if ((status & CleanupStatus.Hops) != 0)
        {
            Log($"warning: {tx.QueueId}: message rejected: hopcount exceeded");
            Reject("hops");
            reply = "554 5.4.0 Error: too many hops";
        }
        else if ((status & CleanupStatus.Size) != 0)
        {
            Log($"warning: {tx.QueueId}: queue file size limit exceeded");
            Reject("size");
            reply = "552 5.3.4 Error: message file too big";
        }
        else
        {
            Reject("queue_write");
            reply = "451 4.3.0 Error: queue file write error";
        }
        await DiscardTransactionAsync();
        await ReplyAsync(reply);
        return false;
    }

    /// <summary>
    /// The envelope to commit: the accepted recipients plus cleanup's BCCs, or only the REDIRECT target, which
    /// replaces every recipient (BCCs included) as qmgr does with a redirect record.
    /// </summary>
    private async ValueTask<Envelope> FinalEnvelopeAsync(MailTransaction tx, PolicyMessageActions actions)
    {
        List<Recipient> recipients;
        if (actions.Redirect is { } redirect)
            recipients = [new Recipient(redirect)];
        else
        {
            recipients = new List<Recipient>(tx.Recipients);
            foreach (var extra in await _policy.AddedRecipientsAsync(_info, tx.StoredSender, _aborted))
                recipients.Add(new Recipient(extra));
        }
        // The queue has no per-message content filter yet: say so rather than pretend.
        if (actions.Filter is { } filter)
            Log($"warning: {tx.QueueId}: FILTER {filter} action not supported yet; message queued for normal delivery");
        return new Envelope(tx.StoredSender, recipients, tx.Arrival, tx.Ret, tx.EnvId, NameAddr, tx.Smtputf8, tx.Body8Bit);
    }

    private string ComputedMessageId(MailTransaction tx) =>
        _settings.AlwaysAddMissingHeaders || IsLocalHeaderRewriteClient()
            ? $"<{CleanupHeaders.MessageIdValue(_settings.MyHostname, tx.QueueId, tx.Arrival)}>"
            : "<>";

    private async ValueTask<bool> BdatAsync(string args)
    {
        if (_settings.IsKeywordDiscarded("chunking"))
            return await FailAsync("521 5.5.1 Error: command not implemented");
        var words = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is < 1 or > 2 || !words[0].All(char.IsAsciiDigit) || !long.TryParse(words[0], out var size)
            || (words.Length == 2 && !words[1].Equals("LAST", StringComparison.OrdinalIgnoreCase)))
        {
            Log($"warning: {_queueId?.Value ?? "NOQUEUE"}: malformed BDAT command syntax from {NameAddr}: BDAT {args}");
            return await FailAsync("521 5.5.4 Syntax: BDAT count [LAST]");
        }
        var last = words.Length == 2;
        if (size == 0 && !last)
            return await SkipBdatAsync(size, last, "551 5.7.1 Null BDAT request");
        if (_bdatSkipping)
            return await SkipBdatAsync(size, last, $"551 5.0.0 Discarded {size} bytes after earlier error");

        var tx = _transaction;
        if (tx is null || !tx.InBdat)
        {
            if (tx is null)
                return await SkipBdatAsync(size, last, "503 5.5.1 Error: need RCPT command");
            if (tx.AcceptedRecipients.Count == 0)
                return await SkipBdatAsync(size, last, "554 5.5.1 Error: no valid recipients");
            var verdict = await _policy.CheckDataAsync(_info, tx.Sender, tx.AcceptedRecipients, _aborted);
            if (!verdict.IsPermit)
            {
                LogWhatsup("reject", verdict.LogText ?? verdict.Reply!.ToString());
                Reject("data");
                return await SkipBdatAsync(size, last, verdict.Reply!.ToString());
            }
            if (!await OpenMessageAsync(tx))
                return await SkipBdatAsync(size, last, "451 4.3.0 Error: queue file write error");
            tx.InBdat = true;
            _bdatSplitter = new BdatLineSplitter(_settings.LineLengthLimit, _detectBareLf);
        }
        var content = tx.Content!;
        if (_settings.MessageSizeLimit > 0 && content.Size > _settings.MessageSizeLimit - size)
        {
            Log($"warning: {tx.QueueId}: BDAT request from {NameAddr} exceeds message size limit");
            Reject("size");
            return await SkipBdatAsync(size, last, "552 5.3.4 Chunk exceeds message size limit");
        }

        _where = "BDAT";
        _dataBytes = content.Size;
        var splitter = _bdatSplitter!;
        await ReadChunkAsync(size, bytes =>
        {
            splitter.Feed(bytes, content);
            NoteBareLf(content, splitter.SawBareLf);
        });
        if (content.NeedsFlush)
            await content.FlushAsync(_aborted);
        if (last)
        {
            splitter.Finish(content);
            _where = "END-OF-MESSAGE";
            return await FinishMessageAsync(tx, bdat: true);
        }
        if (content.Status != CleanupStatus.Ok)
        {
            await FinishMessageAsync(tx, bdat: true);
            _bdatSkipping = true;
            return false;
        }
        await ReplyAsync($"250 2.0.0 Ok: {size} bytes");
        return true;
    }

    private BdatLineSplitter? _bdatSplitter;

    /// <summary>skip_bdat(): read and drop the chunk to stay in sync, reply, and drop later chunks until BDAT LAST.</summary>
    private async ValueTask<bool> SkipBdatAsync(long size, bool last, string reply)
    {
        if (_settings.MessageSizeLimit > 0 && size / 1.5 > _settings.MessageSizeLimit)
        {
            Log($"warning: {_queueId?.Value ?? "NOQUEUE"}: too much BDAT content -- disabling further input from {NameAddr}");
            await ReplyAsync(reply);
            _hangup = true;
            return false;
        }
        await ReadChunkAsync(size, static _ => { });
        await ReplyAsync(reply);
        if (last)
        {
            _bdatSkipping = false;
            await DiscardTransactionAsync();
        }
        else
            _bdatSkipping = true;
        return false;
    }

    /// <summary>Reads exactly <paramref name="size"/> bytes of BDAT payload, each segment handed to <paramref name="sink"/>.</summary>
    private async ValueTask ReadChunkAsync(long size, SpanAction sink)
    {
        var remaining = size;
        while (remaining > 0)
        {
            var input = _transport.Input;
            _timeout.CancelAfter(_settings.Timeout);
            if (!input.TryRead(out var result))
            {
                await FlushAsync();
                result = await input.ReadAsync(_timeout.Token);
            }
            if (!_timeout.TryReset())
            {
                _timeout.Dispose();
                _timeout = new CancellationTokenSource();
            }
            var buffer = result.Buffer;
            if (buffer.IsEmpty && result.IsCompleted)
                throw new ConnectionClosedException();
            var take = buffer.Slice(0, Math.Min(remaining, buffer.Length));
            foreach (var segment in take)
                sink(segment.Span);
            remaining -= take.Length;
            input.AdvanceTo(take.End);
        }
    }

    private delegate void SpanAction(ReadOnlySpan<byte> bytes);
}

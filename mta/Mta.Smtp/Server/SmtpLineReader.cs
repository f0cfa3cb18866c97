using System.Buffers;
using System.IO.Pipelines;

namespace Mta.Smtp.Server;

/// <summary>
/// Reads SMTP lines straight from a PipeReader (smtp_get() in Postfix's smtp_stream.c): finds '\n' with a
/// SequenceReader, then looks at the byte before it, so bare &lt;LF&gt; is a decision, not an accident.
/// A bare &lt;CR&gt; is never a line end. The current line lives in one reusable buffer: no string per line.
/// Before blocking for input it flushes pending replies, which is what makes PIPELINING batches work.
/// </summary>
internal sealed class SmtpLineReader(int lineLimit)
{
    private readonly byte[] _line = new byte[lineLimit + 2];
    private int _length;
    private bool _skipping;

    /// <summary>The last line read, without its terminator.</summary>
    public ReadOnlySpan<byte> Line => _line.AsSpan(0, _length);

    public ReadOnlyMemory<byte> LineMemory => _line.AsMemory(0, _length);

    /// <summary>The last line ended in a bare &lt;LF&gt; (only set when detection is on).</summary>
    public bool GotBareLf { get; private set; }

    /// <summary>Reads one command line; lines over the limit are skipped to their end and reported as TooLong.</summary>
    public ValueTask<LineStatus> ReadCommandAsync(SmtpTransport transport, bool detectBareLf, Func<ValueTask> flush, CancellationToken cancellationToken) =>
        ReadAsync(transport, detectBareLf, splitLongLines: false, flush, cancellationToken);

    /// <summary>Reads one content line; lines over the limit come back in Partial pieces (nothing is lost).</summary>
    public ValueTask<LineStatus> ReadContentAsync(SmtpTransport transport, bool detectBareLf, Func<ValueTask> flush, CancellationToken cancellationToken) =>
        ReadAsync(transport, detectBareLf, splitLongLines: true, flush, cancellationToken);

    private async ValueTask<LineStatus> ReadAsync(SmtpTransport transport, bool detectBareLf, bool splitLongLines, Func<ValueTask> flush, CancellationToken cancellationToken)
    {
        while (true)
        {
            var input = transport.Input;
            if (!input.TryRead(out var result))
            {
                await flush();
                result = await input.ReadAsync(cancellationToken);
            }
            var status = Parse(input, result, detectBareLf, splitLongLines);
            if (status is { } done)
                return done;
        }
    }

    /// <summary>Consumes at most one line from the buffer; null when more input is needed.</summary>
    private LineStatus? Parse(PipeReader input, ReadResult result, bool detectBareLf, bool splitLongLines)
    {
        var buffer = result.Buffer;
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n', advancePastDelimiter: true))
        {
            if (line.Length > lineLimit + 1 && splitLongLines && !_skipping)
            {
                // Hand the first lineLimit bytes back as Partial and re-read the rest later.
                return TakePartial(input, buffer, line.Slice(0, lineLimit));
            }
            if (_skipping || line.Length > lineLimit + 1)
            {
                input.AdvanceTo(reader.Position);
                _skipping = false;
                _length = 0;
                return LineStatus.TooLong;
            }
            _length = (int)line.Length;
            line.CopyTo(_line); // before AdvanceTo: the pipe may recycle the segment afterwards
            input.AdvanceTo(reader.Position);
            StripTerminator(detectBareLf);
            return LineStatus.Line;
        }

        if (result.IsCompleted || result.IsCanceled)
        {
            input.AdvanceTo(buffer.End);
            _length = 0;
            return LineStatus.Closed;
        }

        if (buffer.Length > lineLimit)
        {
            if (!splitLongLines)
            {
                // Skip what we have and keep skipping to the newline, like SMTP_GET_FLAG_SKIP.
                _skipping = true;
                input.AdvanceTo(buffer.End);
                return null;
            }
            var cut = lineLimit;
            // Never split a CR from the LF that may follow it.
            if (buffer.Slice(cut - 1, 1).FirstSpan[0] == (byte)'\r')
                cut--;
            return TakePartial(input, buffer, buffer.Slice(0, cut));
        }

        input.AdvanceTo(buffer.Start, buffer.End);
        return null;
    }

    private LineStatus TakePartial(PipeReader input, ReadOnlySequence<byte> buffer, ReadOnlySequence<byte> part)
    {
        part.CopyTo(_line);
        _length = (int)part.Length;
        GotBareLf = false;
        input.AdvanceTo(buffer.GetPosition(part.Length));
        return LineStatus.Partial;
    }

    /// <summary>Postfix's rule: with detection on, strip one CR before LF or flag a bare LF; otherwise strip all trailing CRs.</summary>
    private void StripTerminator(bool detectBareLf)
    {
        GotBareLf = false;
        if (detectBareLf)
        {
            if (_length > 0 && _line[_length - 1] == (byte)'\r')
                _length--;
            else
                GotBareLf = true;
            return;
        }
        while (_length > 0 && _line[_length - 1] == (byte)'\r')
            _length--;
    }

    /// <summary>True when the client already sent more bytes than we consumed (pipelining detection).</summary>
    public static bool HasPendingInput(SmtpTransport transport, out ReadOnlySequence<byte> peek)
    {
        peek = default;
        if (!transport.Input.TryRead(out var result))
            return false;
        var buffer = result.Buffer;
        var pending = !buffer.IsEmpty;
        if (pending)
            peek = new ReadOnlySequence<byte>(buffer.Slice(0, Math.Min(100, buffer.Length)).ToArray());
        transport.Input.AdvanceTo(buffer.Start);
        return pending;
    }
}

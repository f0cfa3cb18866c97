using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace Mta.Delivery.Local;

/// <summary>
/// mail_copy(3): writes a queued message (CRLF lines, as stored) to a file or a command in UNIX form: LF line
/// endings, the envelope headers local(8) and virtual(8) prepend (From_, Return-Path:, X-Original-To:,
/// Delivered-To:, in that order), "&gt;From " quoting for mbox and a final blank line. Lines are cut with a
/// <see cref="SequenceReader{T}"/> over a pipe, never turned into strings.
/// </summary>
public static class MailCopier
{
    private static readonly byte[] FromSpace = "From "u8.ToArray();

    /// <summary>Copies the message; returns the number of bytes written.</summary>
    public static async ValueTask<long> CopyAsync(Stream source, Stream destination, MailCopyOptions options,
        MailCopyEnvelope envelope, CancellationToken cancellationToken)
    {
        var header = BuildEnvelopeHeaders(options, envelope);
        await destination.WriteAsync(header, cancellationToken);
        long written = header.Length;

        var reader = PipeReader.Create(source, new StreamPipeReaderOptions(leaveOpen: true));
        var output = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                var lines = new SequenceReader<byte>(buffer);
                while (lines.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
                    AppendLine(output, line, options, newline: true);
                if (read.IsCompleted && !lines.End)
                {
                    // A last line without a newline: mail_copy() ends it anyway.
                    AppendLine(output, lines.UnreadSequence, options, newline: true);
                    lines.AdvanceToEnd();
                }
                reader.AdvanceTo(lines.Position, buffer.End);
                if (output.WrittenCount > 0)
                {
                    await destination.WriteAsync(output.WrittenMemory, cancellationToken);
                    written += output.WrittenCount;
                    output.ResetWrittenCount();
                }
                if (read.IsCompleted)
                    break;
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
        if ((options & MailCopyOptions.BlankLine) != 0)
        {
            await destination.WriteAsync("\n"u8.ToArray(), cancellationToken);
            written++;
        }
        return written;
    }

    private static void AppendLine(ArrayBufferWriter<byte> output, ReadOnlySequence<byte> line, MailCopyOptions options, bool newline)
    {
        // Stored lines end in CRLF: drop the CR that precedes the LF we cut at.
        if (newline && line.Length > 0 && EndsWithCr(line))
            line = line.Slice(0, line.Length - 1);
        if ((options & MailCopyOptions.QuoteFrom) != 0 && StartsWithFromSpace(line))
            output.Write(">"u8);
        foreach (var segment in line)
            output.Write(segment.Span);
        if (newline)
            output.Write("\n"u8);
    }

    private static bool EndsWithCr(ReadOnlySequence<byte> line)
    {
        var last = line.Slice(line.Length - 1);
        return last.FirstSpan[0] == (byte)'\r';
    }

    private static bool StartsWithFromSpace(ReadOnlySequence<byte> line)
    {
        if (line.Length < FromSpace.Length)
            return false;
        Span<byte> head = stackalloc byte[5];
        line.Slice(0, 5).CopyTo(head);
        return head.SequenceEqual(FromSpace);
    }

    /// <summary>The lines mail_copy() prepends, LF-terminated.</summary>
    public static byte[] BuildEnvelopeHeaders(MailCopyOptions options, MailCopyEnvelope envelope)
    {
        var text = new StringBuilder();
        if ((options & MailCopyOptions.FromLine) != 0)
        {
            var sender = envelope.Sender.Length == 0 ? "MAILER-DAEMON" : AddressQuoting.QuoteLocalPart(envelope.Sender);
            text.Append("From ").Append(sender).Append("  ").Append(AscTime(envelope.Now)).Append('\n');
        }
        if ((options & MailCopyOptions.ReturnPath) != 0)
            text.Append("Return-Path: <").Append(AddressQuoting.QuoteLocalPart(envelope.Sender)).Append(">\n");
        if ((options & MailCopyOptions.OriginalRecipient) != 0 && !string.IsNullOrEmpty(envelope.OriginalRecipient))
            text.Append("X-Original-To: ").Append(AddressQuoting.QuoteLocalPart(envelope.OriginalRecipient)).Append('\n');
        if ((options & MailCopyOptions.DeliveredTo) != 0)
            text.Append("Delivered-To: ").Append(AddressQuoting.QuoteLocalPart(envelope.DeliveredTo)).Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>asctime(3) without the newline: "Thu Nov  6 01:02:03 2026" (local time, as Postfix writes it).</summary>
    public static string AscTime(DateTimeOffset time)
    {
        var local = time.ToLocalTime();
        return local.ToString("ddd MMM ", CultureInfo.InvariantCulture)
            + local.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
            + local.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);
    }
}

/// <summary>The envelope facts mail_copy() writes: sender, original recipient, Delivered-To: address, and the time for From_.</summary>
public sealed record MailCopyEnvelope(string Sender, string? OriginalRecipient, string DeliveredTo, DateTimeOffset Now);

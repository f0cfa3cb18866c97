using System.Buffers;
using System.Text;

namespace Mta.Delivery.Notices;

/// <summary>
/// Reads the stored original (CRLF lines, headers then body) for a notice: the whole message, only its header
/// section (RET=HDRS, oversize, postmaster copies), or its Message-Id (enable_threaded_bounces). Bytes are copied
/// unchanged: the original is returned as it was received, 8-bit and all.
/// </summary>
internal static class OriginalMessage
{
    private const int ChunkSize = 16 * 1024;

    public delegate ValueTask Sink(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    /// <summary>Copies everything; a last line without a line ending gets CRLF (the part boundary must start a line).</summary>
    public static async ValueTask CopyAllAsync(Stream source, Sink sink, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            byte last = (byte)'\n';
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                await sink(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                last = buffer[read - 1];
            }
            if (last != (byte)'\n') await sink("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Copies header lines (and their continuations) up to the first line that is neither, as bounce(8) does.</summary>
    public static async ValueTask CopyHeadersAsync(Stream source, Sink sink, CancellationToken cancellationToken)
    {
        await foreach (var line in HeaderLinesAsync(source, cancellationToken).ConfigureAwait(false))
            await sink(line, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The original's Message-Id: value (e.g. "&lt;abc@example.com&gt;"), or null when it has none.</summary>
    public static async ValueTask<string?> FindMessageIdAsync(Stream source, CancellationToken cancellationToken)
    {
        string? current = null;
        await foreach (var line in HeaderLinesAsync(source, cancellationToken).ConfigureAwait(false))
        {
            var text = Encoding.UTF8.GetString(line.Span).TrimEnd('\r', '\n');
            if (text.Length > 0 && text[0] is ' ' or '\t')
            {
                if (current is not null) current += " " + text.Trim();
                continue;
            }
            if (current is not null) break;
            int colon = text.IndexOf(':');
            if (string.Equals(text[..colon].TrimEnd(), "Message-Id", StringComparison.OrdinalIgnoreCase))
                current = text[(colon + 1)..].Trim();
        }
        if (current is null) return null;
        int open = current.IndexOf('<'), close = current.IndexOf('>', Math.Max(open, 0));
        return open >= 0 && close > open ? current[open..(close + 1)] : null;
    }

    /// <summary>Each header line with its line ending, until the first line that is not a header or continuation.</summary>
    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> HeaderLinesAsync(Stream source,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = new MemoryStream();
        var buffer = new byte[ChunkSize];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n') continue;
                pending.Write(buffer, start, i + 1 - start);
                start = i + 1;
                var line = pending.ToArray();
                pending.SetLength(0);
                if (!IsHeaderOrContinuation(line)) yield break;
                yield return line;
            }
            pending.Write(buffer, start, read - start);
        }
        // A header section that runs to the end of the content without a line ending.
        if (pending.Length > 0 && IsHeaderOrContinuation(pending.ToArray()))
            yield return pending.ToArray().Concat("\r\n"u8.ToArray()).ToArray();
    }

    /// <summary>Postfix's IS_HEADER: a continuation (leading blank) or "name:" with printable name characters.</summary>
    private static bool IsHeaderOrContinuation(ReadOnlySpan<byte> line)
    {
        if (line.Length == 0) return false;
        if (line[0] is (byte)' ' or (byte)'\t') return true;
        int i = 0;
        while (i < line.Length && line[i] > 32 && line[i] < 127 && line[i] != (byte)':') i++;
        if (i == 0) return false;
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t') i++;
        return i < line.Length && line[i] == (byte)':';
    }
}

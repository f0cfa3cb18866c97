using System.Buffers;

namespace Mta.Delivery.Smtp;

/// <summary>
/// Sends the stored message bytes as DATA content: unchanged except that a line starting with "." gets a
/// second "." (RFC 5321 4.5.2), a missing final CRLF is added, and ".CRLF" ends it. The message is never
/// parsed or re-serialised; it streams through two pooled buffers.
/// </summary>
public static class DotStuffingWriter
{
    private const int ChunkSize = 64 * 1024;

    private static readonly byte[] EndOfData = ".\r\n"u8.ToArray();
    private static readonly byte[] CrLfEndOfData = "\r\n.\r\n"u8.ToArray();

    /// <summary>Copies <paramref name="body"/> to the connection; each write has <paramref name="writeTimeout"/> (smtp_data_xfer_timeout).</summary>
    public static async ValueTask SendAsync(Stream body, SmtpConnection connection, TimeSpan writeTimeout, CancellationToken cancellationToken)
    {
        const string where = "sending message body";
        var input = ArrayPool<byte>.Shared.Rent(ChunkSize);
        // Worst case every input byte is a "." at the start of a line ("\n.\n." ...): the output can double.
        var output = ArrayPool<byte>.Shared.Rent(2 * ChunkSize + 8);
        try
        {
            var atLineStart = true;
            var lastByte = (byte)'\n';
            var pending = 0; // stuffed bytes not yet written: the last chunk goes out together with ".CRLF"
            int read;
            while ((read = await body.ReadAsync(input.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (pending > 0)
                    await connection.WriteAsync(output.AsMemory(0, pending), writeTimeout, where, cancellationToken).ConfigureAwait(false);
                pending = Stuff(input.AsSpan(0, read), output, ref atLineStart);
                lastByte = input[read - 1];
            }
            var tail = lastByte == '\n' ? EndOfData : CrLfEndOfData;
            tail.CopyTo(output.AsSpan(pending));
            await connection.WriteAsync(output.AsMemory(0, pending + tail.Length), writeTimeout, where, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    /// <summary>Copies <paramref name="input"/> to <paramref name="output"/>, doubling a "." that starts a line.</summary>
    internal static int Stuff(ReadOnlySpan<byte> input, Span<byte> output, ref bool atLineStart)
    {
        var o = 0;
        while (!input.IsEmpty)
        {
            if (atLineStart && input[0] == (byte)'.')
                output[o++] = (byte)'.';
            var newline = input.IndexOf((byte)'\n');
            var take = newline < 0 ? input.Length : newline + 1;
            input[..take].CopyTo(output[o..]);
            o += take;
            atLineStart = newline >= 0;
            input = input[take..];
        }
        return o;
    }
}

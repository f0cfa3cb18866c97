using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Text;

namespace Mta.Smtp.Server;

/// <summary>
/// HAProxy PROXY protocol v1 (text) and v2 (binary) header reader (smtpd_upstream_proxy_protocol = haproxy):
/// the real client and server addresses a load balancer puts in front of the SMTP stream.
/// </summary>
internal static class ProxyProtocolReader
{
    private static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];
    private const int V1MaxLength = 107;

    /// <summary>Reads and consumes one PROXY header. Returns null for LOCAL/UNKNOWN (keep the socket's addresses).</summary>
    /// <exception cref="FormatException">The header is missing or malformed.</exception>
    public static async ValueTask<(IPEndPoint Source, IPEndPoint Destination)?> ReadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (TryParse(buffer, out var consumed, out var header))
            {
                input.AdvanceTo(consumed);
                return header;
            }
            if (result.IsCompleted)
                throw new FormatException("lost connection while reading the PROXY header");
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool TryParse(ReadOnlySequence<byte> buffer, out SequencePosition consumed, out (IPEndPoint, IPEndPoint)? header)
    {
        consumed = buffer.Start;
        header = null;
        Span<byte> start = stackalloc byte[16];
        var have = (int)Math.Min(buffer.Length, 16);
        buffer.Slice(0, have).CopyTo(start);
        var prefix = start[..have];

        if (V2Signature.AsSpan(0, Math.Min(have, 12)).SequenceEqual(prefix[..Math.Min(have, 12)]) && prefix.Length > 0 && prefix[0] == 0x0D)
        {
            if (have < 16)
                return false;
            var length = BinaryPrimitives.ReadUInt16BigEndian(prefix[14..16]);
            if (buffer.Length < 16 + length)
                return false;
            var body = buffer.Slice(16, length).ToArray();
            consumed = buffer.GetPosition(16 + length);
            var version = prefix[12] >> 4;
            var command = prefix[12] & 0x0F;
            if (version != 2)
                throw new FormatException("unsupported PROXY protocol version");
            if (command == 0)
                return true; // LOCAL: health check from the proxy itself
            header = prefix[13] switch
            {
                0x11 when length >= 12 => (new IPEndPoint(new IPAddress(body.AsSpan(0, 4)), BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(8))),
                                         new IPEndPoint(new IPAddress(body.AsSpan(4, 4)), BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(10)))),
                0x21 when length >= 36 => (new IPEndPoint(new IPAddress(body.AsSpan(0, 16)), BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(32))),
                                         new IPEndPoint(new IPAddress(body.AsSpan(16, 16)), BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(34)))),
                0x00 => null,
                _ => throw new FormatException("unsupported PROXY v2 address family"),
            };
            return true;
        }

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            if (buffer.Length > V1MaxLength)
                throw new FormatException("PROXY v1 header too long");
            if (have >= 6 && !prefix[..6].SequenceEqual("PROXY "u8))
                throw new FormatException("missing PROXY header");
            return false;
        }
        consumed = reader.Position;
        var text = Encoding.ASCII.GetString(line.ToArray()).TrimEnd('\r');
        var words = text.Split(' ');
        if (words.Length < 2 || words[0] != "PROXY")
            throw new FormatException("missing PROXY header");
        if (words[1] == "UNKNOWN")
            return true;
        if (words.Length != 6 || words[1] is not ("TCP4" or "TCP6")
            || !IPAddress.TryParse(words[2], out var src) || !IPAddress.TryParse(words[3], out var dst)
            || !ushort.TryParse(words[4], out var sport) || !ushort.TryParse(words[5], out var dport))
            throw new FormatException($"bad PROXY v1 header: {text}");
        header = (new IPEndPoint(src, sport), new IPEndPoint(dst, dport));
        return true;
    }
}

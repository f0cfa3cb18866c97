namespace Mta.Smtp.Server;

/// <summary>
/// Turns BDAT chunk bytes into content records, carrying a partial line across chunks (Postfix's bdat_get_buffer):
/// lines end at &lt;LF&gt; (a preceding &lt;CR&gt; is stripped; a bare &lt;LF&gt; is flagged when detection is on) and are stored
/// with CRLF; lines longer than line_length_limit are passed on in pieces. No dot-unstuffing in BDAT.
/// </summary>
internal sealed class BdatLineSplitter(int lineLimit, bool detectBareLf)
{
    private readonly byte[] _pending = new byte[lineLimit + 1];
    private int _count;

    /// <summary>Set when any line so far ended in a bare LF.</summary>
    public bool SawBareLf { get; private set; }

    public void Feed(ReadOnlySpan<byte> bytes, MessageContentWriter content)
    {
        while (!bytes.IsEmpty)
        {
            var newline = bytes.IndexOf((byte)'\n');
            var take = newline < 0 ? bytes.Length : newline;
            // Fill the pending line; long lines go out in lineLimit pieces.
            while (take > 0)
            {
                var room = lineLimit - _count;
                if (room == 0)
                {
                    // Keep a trailing CR back: it may belong to the CRLF that follows.
                    var keepCr = _pending[_count - 1] == (byte)'\r' ? 1 : 0;
                    content.WriteRecord(_pending.AsSpan(0, _count - keepCr), partial: true);
                    if (keepCr == 1)
                        _pending[0] = (byte)'\r';
                    _count = keepCr;
                    continue;
                }
                var n = Math.Min(room, take);
                bytes[..n].CopyTo(_pending.AsSpan(_count));
                _count += n;
                bytes = bytes[n..];
                take -= n;
            }
            if (newline < 0)
                return;
            bytes = bytes[1..]; // the LF
            EndLine(content);
        }
    }

    private void EndLine(MessageContentWriter content)
    {
        var length = _count;
        if (detectBareLf)
        {
            if (length > 0 && _pending[length - 1] == (byte)'\r')
                length--;
            else
                SawBareLf = true;
        }
        else
        {
            while (length > 0 && _pending[length - 1] == (byte)'\r')
                length--;
        }
        content.WriteRecord(_pending.AsSpan(0, length), partial: false);
        _count = 0;
    }

    /// <summary>BDAT LAST: a final line without a newline is still a whole line.</summary>
    public void Finish(MessageContentWriter content)
    {
        if (_count > 0)
        {
            content.WriteRecord(_pending.AsSpan(0, _count), partial: false);
            _count = 0;
        }
    }
}

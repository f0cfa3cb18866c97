using System.Buffers;
using System.Text;
using Mta.Queue;

namespace Mta.Smtp.Server;

/// <summary>
/// cleanup(8)'s content work, done inline while DATA/BDAT bytes arrive: stores each record with CRLF,
/// counts Received: headers against hopcount_limit, truncates headers over header_size_limit, notes
/// Message-ID/Date/From, inserts the missing ones for local submissions at the end of the header, and
/// enforces message_size_limit as it goes. Bytes are batched and streamed into the queue writer.
/// After the first failure it keeps swallowing input (the client is still sending) but stores nothing.
/// </summary>
internal sealed class MessageContentWriter : IDisposable
{
    private const int FlushThreshold = 32 * 1024;

    private readonly IMessageWriter _writer;
    private readonly SmtpdSettings _settings;
    private readonly Func<string>? _missingHeaders;
    private readonly ArrayBufferWriter<byte> _pending = new(FlushThreshold * 2);
    private bool _inHeader = true;
    private bool _previousPartial;
    private bool _currentHeaderIsReceived;
    private int _currentHeaderSize;
    private bool _truncatingHeader;
    private int _hopCount;

    public MessageContentWriter(IMessageWriter writer, SmtpdSettings settings, Func<string>? missingHeaders)
    {
        _writer = writer;
        _settings = settings;
        _missingHeaders = missingHeaders;
    }

    public CleanupStatus Status { get; private set; }

    /// <summary>Postfix's act_size: content bytes counted as line + 2 per record.</summary>
    public long Size { get; private set; }

    public bool SawMessageId { get; private set; }
    public bool SawDate { get; private set; }
    public bool SawFrom { get; private set; }

    /// <summary>The Message-ID header value as received (for the "message-id=" log line), or null.</summary>
    public string? MessageId { get; private set; }

    public bool NeedsFlush => _pending.WrittenCount >= FlushThreshold;

    public void Fail(CleanupStatus status) => Status |= status;

    /// <summary>smtpd's own Received: header goes first and counts as a hop, as it does in cleanup.</summary>
    public void WriteReceivedHeader(string text)
    {
        _hopCount++;
        WriteOwnHeader(text);
    }

    /// <summary>A PREPEND header from an access map: goes above our Received: header, as smtpd writes it.</summary>
    public void WritePrependedHeader(string headerLine) => WriteOwnHeader(headerLine + "\r\n");

    private void WriteOwnHeader(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        _pending.Write(bytes);
        Size += bytes.Length;
    }

    /// <summary>One content record: a whole line (partial = false) or a piece of a long line that continues.</summary>
    public void WriteRecord(ReadOnlySpan<byte> record, bool partial)
    {
        var continuesLine = _previousPartial;
        _previousPartial = partial;
        if (Status != CleanupStatus.Ok)
            return;

        if (_settings.MessageSizeLimit > 0 && _settings.MessageSizeLimit - Size < record.Length + 2)
        {
            Status |= CleanupStatus.Size;
            return;
        }
        Size += record.Length + 2;

        if (_inHeader && !continuesLine)
            ClassifyHeaderLine(record);
        if (Status != CleanupStatus.Ok)
            return;

        if (_inHeader)
        {
            if (_truncatingHeader)
                return;
            var room = _settings.HeaderSizeLimit - _currentHeaderSize;
            if (record.Length > room)
            {
                record = record[..Math.Max(room, 0)];
                _truncatingHeader = true;
                partial = false;
            }
            _currentHeaderSize += record.Length + 2;
        }

        _pending.Write(record);
        if (!partial)
            _pending.Write("\r\n"u8);
    }

    private void ClassifyHeaderLine(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && (line[0] == (byte)' ' || line[0] == (byte)'\t'))
            return; // folded continuation of the current header
        var colon = line.IndexOf((byte)':');
        if (line.Length == 0 || colon <= 0 || !IsFieldName(line[..colon]))
        {
            EndHeader(line.Length == 0);
            return;
        }
        _currentHeaderSize = 0;
        _truncatingHeader = false;
        var name = line[..colon];
        _currentHeaderIsReceived = Ascii.EqualsIgnoreCase(name, "Received"u8);
        if (_currentHeaderIsReceived && ++_hopCount >= _settings.HopcountLimit)
            Status |= CleanupStatus.Hops;
        else if (Ascii.EqualsIgnoreCase(name, "Message-ID"u8))
        {
            SawMessageId = true;
            MessageId = Encoding.UTF8.GetString(line[(colon + 1)..]).Trim();
        }
        else if (Ascii.EqualsIgnoreCase(name, "Date"u8))
            SawDate = true;
        else if (Ascii.EqualsIgnoreCase(name, "From"u8))
            SawFrom = true;
    }

    private static bool IsFieldName(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
            if (b <= 32 || b >= 127)
                return false;
        return true;
    }

    /// <summary>The header ends at the empty line (or at the first line that is not a header); add missing headers there.</summary>
    private void EndHeader(bool emptyLine)
    {
        _inHeader = false;
        _ = emptyLine;
        if (_missingHeaders is not null)
        {
            var added = _missingHeaders();
            if (added.Length > 0)
                WriteOwnHeader(added);
        }
    }

    /// <summary>End of content: a message with only headers still gets its missing headers.</summary>
    public void Complete()
    {
        if (_inHeader && Status == CleanupStatus.Ok)
            EndHeader(false);
    }

    /// <summary>Hands buffered bytes to the queue writer; a store failure marks the message Write-failed.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.WrittenCount == 0)
            return;
        if ((Status & CleanupStatus.Write) == 0)
        {
            try
            {
                await _writer.WriteAsync(_pending.WrittenMemory, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Status |= CleanupStatus.Write;
                WriteError = e;
            }
        }
        _pending.ResetWrittenCount();
    }

    public Exception? WriteError { get; private set; }

    public void Dispose() => _pending.Clear();
}

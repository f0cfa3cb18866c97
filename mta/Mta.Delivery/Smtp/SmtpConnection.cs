using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Mta.Delivery.Smtp;

/// <summary>
/// One client connection: commands are collected in a buffer and written in one go (so a pipelined
/// MAIL/RCPT/DATA group is one write); replies are parsed straight from a <see cref="PipeReader"/>.
/// Every read and write has a deadline; a broken or slow peer becomes a <see cref="SmtpSessionException"/>
/// with Postfix's "lost connection with X while Y" / "conversation with X timed out while Y" text.
/// </summary>
public sealed class SmtpConnection : IAsyncDisposable
{
    // Longer reply lines are cut into pieces, as Postfix's smtp_get() does at $line_length_limit.
    private const int MaxReplyLine = 4096;
    private const int MaxReplyLines = 1000;

    private readonly Socket _socket;
    private readonly ArrayBufferWriter<byte> _commands = new(512);
    private Stream _stream;
    private PipeReader _reader;

    private SmtpConnection(Socket socket, SmtpTarget target)
    {
        _socket = socket;
        Target = target;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
    }

    public SmtpTarget Target { get; }

    /// <summary>The stream the message body is written to (the TLS stream after STARTTLS).</summary>
    public Stream Stream => _stream;

    public SslStream? Tls => _stream as SslStream;

    /// <summary>Connects within <paramref name="timeout"/> (zero: no limit), or throws with "connect to host[addr]:port: reason" (4.4.1).</summary>
    public static async ValueTask<SmtpConnection> ConnectAsync(SmtpTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var endpoint = target.EndPoint;
        var socket = target.UnixPath is null
            ? new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var deadline = Deadline(timeout, cancellationToken);
        try
        {
            await socket.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);
            return new SmtpConnection(socket, target);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            var reason = e is SocketException s ? StrError(s) : "Connection timed out";
            var where = target.UnixPath is null ? $"{target.NameAddress}:{target.Port}" : target.NameAddress;
            throw new SmtpSessionException(new SmtpFailure("4.4.1", $"connect to {where}: {reason}")) { ConnectFailed = true };
        }
    }

    /// <summary>Adds one command line (CRLF appended) to the output buffer; <see cref="FlushAsync"/> sends it.</summary>
    public void Append(string command)
    {
        var span = _commands.GetSpan(Encoding.UTF8.GetMaxByteCount(command.Length) + 2);
        var n = Encoding.UTF8.GetBytes(command, span);
        span[n] = (byte)'\r';
        span[n + 1] = (byte)'\n';
        _commands.Advance(n + 2);
    }

    public async ValueTask FlushAsync(TimeSpan timeout, string where, CancellationToken cancellationToken)
    {
        if (_commands.WrittenCount == 0)
            return;
        try
        {
            await WriteAsync(_commands.WrittenMemory, timeout, where, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _commands.ResetWrittenCount();
        }
    }

    /// <summary>Writes raw bytes within <paramref name="timeout"/>.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, TimeSpan timeout, string where, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(timeout, cancellationToken);
        try
        {
            await _stream.WriteAsync(bytes, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsBroken(e, cancellationToken))
        {
            throw Broken(e, where);
        }
    }

    /// <summary>Reads one complete reply within <paramref name="timeout"/>.</summary>
    public async ValueTask<ServerReply> ReadReplyAsync(TimeSpan timeout, string where, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(timeout, cancellationToken);
        var lines = new List<string>(1);
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(deadline.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                // Only what was parsed counts as examined once a reply is complete: pipelined replies may follow.
                if (TryParseLines(ref buffer, lines))
                {
                    _reader.AdvanceTo(buffer.Start);
                    return ServerReply.FromLines(lines);
                }
                _reader.AdvanceTo(buffer.Start, result.Buffer.End);
                if (result.IsCompleted)
                    throw new EndOfStreamException();
            }
        }
        catch (Exception e) when (IsBroken(e, cancellationToken))
        {
            throw Broken(e, where);
        }
    }

    // Consumes whole lines; true once the last line of a reply ("ddd " or a line that is not "ddd-") was read.
    private static bool TryParseLines(ref ReadOnlySequence<byte> buffer, List<string> lines)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (true)
        {
            ReadOnlySequence<byte> line;
            if (!reader.TryReadTo(out line, (byte)'\n'))
            {
                if (reader.Remaining < MaxReplyLine)
                    break;
                line = reader.UnreadSequence.Slice(0, MaxReplyLine);
                reader.Advance(MaxReplyLine);
            }
            var text = Encoding.UTF8.GetString(line);
            if (text.EndsWith('\r'))
                text = text[..^1];
            lines.Add(text);
            buffer = buffer.Slice(reader.Position);
            var continued = text.Length > 3 && text[3] == '-' && char.IsAsciiDigit(text[0]);
            if (!continued || lines.Count >= MaxReplyLines)
                return true;
        }
        buffer = buffer.Slice(reader.Position);
        return false;
    }

    /// <summary>True when the server sent bytes we have not asked for yet (checked before TLS: STARTTLS injection).</summary>
    public bool HasUnreadInput()
    {
        if (!_reader.TryRead(out var result))
            return false;
        var any = !result.Buffer.IsEmpty;
        _reader.AdvanceTo(result.Buffer.Start);
        return any;
    }

    /// <summary>Replaces the plaintext stream with TLS (after a 220 reply to STARTTLS).</summary>
    public async ValueTask StartTlsAsync(SslClientAuthenticationOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        _stream = tls;
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        using var deadline = Deadline(timeout, cancellationToken);
        await tls.AuthenticateAsClientAsync(options, deadline.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // Closing a connection that already broke.
        }
        _socket.Dispose();
    }

    internal static CancellationTokenSource Deadline(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout > TimeSpan.Zero)
            cts.CancelAfter(timeout);
        return cts;
    }

    private static bool IsBroken(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested &&
        e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or EndOfStreamException;

    private SmtpSessionException Broken(Exception e, string where) => e is OperationCanceledException
        ? new SmtpSessionException(new SmtpFailure("4.4.2", $"conversation with {Target.NameAddress} timed out while {where}"), e)
        : new SmtpSessionException(new SmtpFailure("4.4.2", $"lost connection with {Target.NameAddress} while {where}"), e);

    // strerror() texts for the connect errors Postfix reports with %m.
    private static string StrError(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "Connection refused",
        SocketError.TimedOut => "Connection timed out",
        SocketError.NetworkUnreachable => "Network is unreachable",
        SocketError.HostUnreachable => "No route to host",
        SocketError.AddressNotAvailable => "Cannot assign requested address",
        SocketError.ConnectionReset => "Connection reset by peer",
        _ => e.Message,
    };
}

using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Mta.Smtp.Server;

/// <summary>
/// The byte pipes of one SMTP connection. Starts as the raw connection pipes; <see cref="StartTlsAsync"/>
/// puts an SslStream in between and replaces <see cref="Input"/>/<see cref="Output"/>.
/// </summary>
internal sealed class SmtpTransport(IDuplexPipe raw) : IAsyncDisposable
{
    private SslStream? _ssl;

    public PipeReader Input { get; private set; } = raw.Input;
    public PipeWriter Output { get; private set; } = raw.Output;

    public SslStream? Tls => _ssl;

    /// <summary>
    /// Throws away every byte the client sent that is already buffered: plaintext pipelined after
    /// STARTTLS must never be read as if it came through TLS (CVE-2011-0411 style injection).
    /// </summary>
    public void DiscardBufferedInput()
    {
        while (Input.TryRead(out var result))
        {
            var empty = result.Buffer.IsEmpty;
            Input.AdvanceTo(result.Buffer.End);
            if (empty || result.IsCompleted)
                break;
        }
    }

    /// <summary>Runs the server TLS handshake over the raw pipes and switches the session to the TLS pipes.</summary>
    public async Task StartTlsAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var inner = new DuplexStream(raw.Input.AsStream(leaveOpen: true), raw.Output.AsStream(leaveOpen: true));
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = certificate,
            ClientCertificateRequired = false,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        }, cancellationToken);
        _ssl = ssl;
        Input = PipeReader.Create(ssl, new StreamPipeReaderOptions(leaveOpen: true));
        Output = PipeWriter.Create(ssl, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public async ValueTask DisposeAsync()
    {
        if (_ssl is null)
            return;
        try
        {
            await Output.CompleteAsync();
            await Input.CompleteAsync();
            await _ssl.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer is gone; nothing left to flush.
        }
    }
}

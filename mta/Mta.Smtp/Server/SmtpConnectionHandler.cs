using System.Net;
using Microsoft.AspNetCore.Connections;
using Mta.Queue;

namespace Mta.Smtp.Server;

/// <summary>
/// Kestrel's entry point for one listener: every accepted connection becomes an <see cref="SmtpSession"/>
/// with the listener's settings as they are at connect time (a reload changes them for new sessions only).
/// </summary>
public sealed class SmtpConnectionHandler(IQueueStore store, IMailLog log, TimeProvider clock) : ConnectionHandler
{
    private volatile SmtpListener? _listener;

    /// <summary>The service this handler runs; swapped by a reload.</summary>
    public SmtpListener Listener
    {
        get => _listener ?? throw new InvalidOperationException("listener not configured");
        set => _listener = value;
    }

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var listener = Listener;
        var settings = listener.Settings;
        var remote = connection.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        // The master.cf service name ("smtp"), shared by all addresses of the service: anvil counts and logs by it.
        var info = new SessionInfo(remote.Address, remote.Port, connection.LocalEndPoint as IPEndPoint, settings.ServiceName);
        var transport = new SmtpTransport(connection.Transport);
        try
        {
            if (settings.UpstreamProxyHaproxy && !await ApplyProxyHeaderAsync(transport, info, settings))
                return;
            if (settings.PeernameLookup)
                await LookupClientNameAsync(info, settings, connection.ConnectionClosed);
            var session = new SmtpSession(transport, info, settings, listener.Policy, store, log, listener.Credentials, clock, connection.ConnectionClosed)
            {
                Limits = listener.Limits,
            };
            await session.RunAsync();
        }
        finally
        {
            await transport.DisposeAsync();
        }
    }

    private async ValueTask<bool> ApplyProxyHeaderAsync(SmtpTransport transport, SessionInfo info, SmtpdSettings settings)
    {
        using var deadline = new CancellationTokenSource(settings.UpstreamProxyTimeout);
        try
        {
            var header = await ProxyProtocolReader.ReadAsync(transport.Input, deadline.Token);
            if (header is var (source, destination))
            {
                info.ClientAddress = source.Address;
                info.ClientPort = source.Port;
                info.LocalEndPoint = destination;
            }
            return true;
        }
        catch (Exception e) when (e is FormatException or OperationCanceledException or IOException)
        {
            var why = e is OperationCanceledException ? "timeout" : e.Message;
            log.Write(settings.ProgramName, $"warning: haproxy read: {why} from {info.ClientNameAddress}");
            return false;
        }
    }

    /// <summary>smtpd_peername_lookup: PTR name, accepted as client name only if it resolves back to the address.</summary>
    private async Task LookupClientNameAsync(SessionInfo info, SmtpdSettings settings, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var entry = await Dns.GetHostEntryAsync(info.ClientAddress.ToString(), deadline.Token);
            var name = entry.HostName;
            if (string.IsNullOrEmpty(name) || IPAddress.TryParse(name, out _))
                return;
            info.ReverseClientName = name;
            var forward = await Dns.GetHostAddressesAsync(name, deadline.Token);
            var address = info.ClientAddress.IsIPv4MappedToIPv6 ? info.ClientAddress.MapToIPv4() : info.ClientAddress;
            if (forward.Any(a => a.Equals(address)))
                info.ClientName = name;
            else
                log.Write(settings.ProgramName, $"warning: hostname {name} does not resolve to address {SessionInfo.FormatAddress(address)}");
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException)
        {
            // No PTR (or DNS down): the client stays "unknown".
        }
    }
}

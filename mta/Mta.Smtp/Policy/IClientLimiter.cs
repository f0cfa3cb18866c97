using System.Net;

namespace Mta.Smtp.Policy;

/// <summary>The client events anvil(8) counts per time unit besides connections.</summary>
public enum ClientEventKind { Message, Recipient, NewTlsSession, Auth }

/// <summary>
/// anvil(8): per client (address block) and service, the number of simultaneous connections and the number of
/// connections and other events per anvil_rate_time_unit. In-process for one host
/// (<see cref="InProcessClientLimiter"/>); shared across smtpd pods through Redis (<see cref="RedisClientLimiter"/>).
/// </summary>
public interface IClientLimiter
{
    /// <summary>
    /// Counts a new connection. The result carries the concurrency (this one included) and the connection rate;
    /// dispose it when the connection closes, also when the connection is refused.
    /// </summary>
    ValueTask<ClientConnectionLease> ConnectAsync(string service, string clientKey, CancellationToken cancellationToken);

    /// <summary>Counts one event and returns how many of its kind the client had in the current time unit.</summary>
    ValueTask<int> CountEventAsync(string service, string clientKey, ClientEventKind kind, CancellationToken cancellationToken);
}

/// <summary>One counted connection: its concurrency and rate at connect time; disposing it ends the connection.</summary>
public sealed class ClientConnectionLease(int count, int rate, Func<ValueTask> release) : IAsyncDisposable
{
    private int _released;

    /// <summary>Simultaneous connections from this client, this one included.</summary>
    public int Count { get; } = count;

    /// <summary>Connections from this client in the current time unit, this one included.</summary>
    public int Rate { get; } = rate;

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _released, 1) == 0 ? release() : ValueTask.CompletedTask;
}

/// <summary>The anvil key of a client: its address, or its address block per smtpd_client_ipv4/ipv6_prefix_length.</summary>
public static class ClientKey
{
    public static string For(IPAddress address, int ipv4PrefixLength = 32, int ipv6PrefixLength = 84)
    {
        address = Mta.Config.Tables.IpNetwork.Normalize(address);
        var v4 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        var prefix = v4 ? ipv4PrefixLength : ipv6PrefixLength;
        if ((v4 && prefix >= 32) || (!v4 && prefix >= 128))
            return address.ToString();
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] &= (byte)(0xFF << (8 - Math.Clamp(prefix - i * 8, 0, 8)));
        return $"{new IPAddress(bytes)}/{prefix}";
    }
}

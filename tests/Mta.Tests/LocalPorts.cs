using System.Net;
using System.Net.Sockets;

namespace Mta.Tests;

/// <summary>Ports on 127.0.0.1 for the servers the tests start: a free one, and whether one is listening yet.</summary>
internal static class LocalPorts
{
    /// <summary>A port nothing listens on right now (the OS picks it), so parallel tests never collide.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>One connection attempt to 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool IsListening(int port)
    {
        try
        {
            using var probe = new TcpClient();
            probe.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Waits until something listens on <paramref name="port"/>; throws with <paramref name="what"/> after <paramref name="limit"/>.</summary>
    public static void WaitUntilListening(int port, TimeSpan limit, Func<string> what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!IsListening(port))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(what());
            Thread.Sleep(50);
        }
    }
}

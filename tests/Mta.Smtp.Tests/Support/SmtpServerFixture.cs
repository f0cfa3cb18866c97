using System.Net;
using Mta.Queue;
using Mta.Smtp.Server;

namespace Mta.Smtp.Tests.Support;

/// <summary>One smtpd on 127.0.0.1 with a free port, a test queue store and a captured log; disposed per test.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public TempDirQueueStore Store { get; } = new();
    public ListLog Log { get; } = new();
    public SmtpServerHost Host { get; }
    public int Port { get; private set; }

    private TestServer(IQueueStore? store) => Host = new SmtpServerHost(store ?? Store, Log);

    /// <summary>Test defaults: short timeouts, no error sleep, host name mx.example.com.</summary>
    public static SmtpdSettings Defaults => new()
    {
        MyHostname = "mx.example.com",
        MyOrigin = "example.com",
        Timeout = TimeSpan.FromSeconds(3),
        ErrorSleepTime = TimeSpan.Zero,
    };

    public static async Task<TestServer> StartAsync(SmtpdSettings? settings = null, ISmtpPolicy? policy = null,
        ISaslCredentials? credentials = null, IQueueStore? store = null,
        Mta.Smtp.Policy.ClientLimits? limits = null)
    {
        var server = new TestServer(store);
        var listener = new SmtpListener("smtp", new IPEndPoint(IPAddress.Loopback, 0), settings ?? Defaults, policy ?? new PermitAllPolicy(), credentials, limits);
        await server.Host.StartAsync([listener], CancellationToken.None);
        server.Port = server.Host.BoundEndPoints["smtp"].Port;
        return server;
    }

    public async Task<RawSmtpClient> ConnectAsync() => await RawSmtpClient.ConnectAsync(Port);

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(TimeSpan.FromSeconds(1));
        await Store.DisposeAsync();
    }
}

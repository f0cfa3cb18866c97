using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mta.Queue;

namespace Mta.Smtp.Server;

/// <summary>
/// Runs smtpd listeners on Kestrel (one Kestrel server per master.cf service, each with its own
/// <see cref="SmtpConnectionHandler"/>). Stop and reload are graceful: sessions in progress keep the settings
/// they started with and run to their end (or until the grace period passes).
/// </summary>
public sealed class SmtpServerHost(IQueueStore store, IMailLog log, TimeProvider? clock = null) : IAsyncDisposable
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Dictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    private sealed record Running(SmtpListener Listener, KestrelServer Server, SmtpConnectionHandler Handler, ListenOptions Options, ServiceProvider Services);

    /// <summary>The addresses actually bound, by listener name (port 0 resolves to the chosen port).</summary>
    public IReadOnlyDictionary<string, IPEndPoint> BoundEndPoints =>
        _running.ToDictionary(r => r.Key, r => (IPEndPoint)r.Value.Options.EndPoint);

    /// <summary>Starts one listener per entry; names must be unique.</summary>
    public async Task StartAsync(IEnumerable<SmtpListener> listeners, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var listener in listeners)
                _running.Add(listener.Name, await StartOneAsync(listener, cancellationToken));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Applies a new set of listeners: same name and endpoint keep their socket and take the new settings for new
    /// sessions; removed or moved listeners stop accepting and their sessions finish within <paramref name="grace"/>.
    /// </summary>
    public async Task ReloadAsync(IEnumerable<SmtpListener> listeners, TimeSpan grace, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        var retired = new List<Running>();
        try
        {
            var wanted = listeners.ToDictionary(l => l.Name, StringComparer.Ordinal);
            foreach (var (name, running) in _running.ToList())
            {
                if (wanted.TryGetValue(name, out var next) && SameEndPoint(running.Listener.EndPoint, next.EndPoint))
                {
                    running.Handler.Listener = next;
                    _running[name] = running with { Listener = next };
                    wanted.Remove(name);
                }
                else
                {
                    retired.Add(running);
                    _running.Remove(name);
                }
            }
            foreach (var listener in wanted.Values)
                _running.Add(listener.Name, await StartOneAsync(listener, cancellationToken));
        }
        finally
        {
            _gate.Release();
        }
        await Task.WhenAll(retired.Select(r => StopOneAsync(r, grace)));
    }

    /// <summary>Stops accepting; sessions in progress get <paramref name="grace"/> to finish, then are cut.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await _gate.WaitAsync();
        List<Running> all;
        try
        {
            all = [.. _running.Values];
            _running.Clear();
        }
        finally
        {
            _gate.Release();
        }
        await Task.WhenAll(all.Select(r => StopOneAsync(r, grace)));
    }

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.Zero);

    private static bool SameEndPoint(IPEndPoint configured, IPEndPoint next) => configured.Equals(next) && next.Port != 0;

    private async Task<Running> StartOneAsync(SmtpListener listener, CancellationToken cancellationToken)
    {
        var handler = new SmtpConnectionHandler(store, log, _clock) { Listener = listener };
        var services = new ServiceCollection().AddSingleton(handler).BuildServiceProvider();
        var options = new KestrelServerOptions { ApplicationServices = services, AddServerHeader = false };
        ListenOptions? bound = null;
        options.Listen(listener.EndPoint, lo =>
        {
            lo.UseConnectionHandler<SmtpConnectionHandler>();
            bound = lo;
        });
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance);
        var server = new KestrelServer(Options.Create(options), transport, NullLoggerFactory.Instance);
        await server.StartAsync(new NoHttpApplication(), cancellationToken);
        return new Running(listener, server, handler, bound!, services);
    }

    private static async Task StopOneAsync(Running running, TimeSpan grace)
    {
        using var deadline = new CancellationTokenSource(grace);
        try
        {
            await running.Server.StopAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // Grace period over: Kestrel aborted what was left.
        }
        running.Server.Dispose();
        await running.Services.DisposeAsync();
    }

    /// <summary>Kestrel wants an HTTP application; SMTP listeners never reach it.</summary>
    private sealed class NoHttpApplication : IHttpApplication<object>
    {
        public object CreateContext(IFeatureCollection contextFeatures) => new();
        public Task ProcessRequestAsync(object context) => Task.CompletedTask;
        public void DisposeContext(object context, Exception? exception) { }
    }
}

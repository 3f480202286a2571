using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Networking.Shared;

namespace Jacameno.Hosting;

/// <summary>
/// Orleans' connections (silo to silo, client to gateway) on Kestrel's socket transport with inline scheduling.
/// Orleans' own transport, a copy of Kestrel's, hands every message to the thread pool twice more than it has to:
/// a received buffer goes to a pool thread to be parsed, and a written message to an I/O queue to be sent. Each
/// can be a thread wake-up, and a grain call from a frontend crosses four of them there and back (at 1 000 edits/s
/// on two cores, cluster p50 2-11 % lower in three interleaved runs; benchmarks/history.md, session 11). Inline, the
/// socket's completion parses the messages and the writer sends them. That is safe here because what runs inline
/// is Orleans' framing only: it queues each parsed message to the thread pool and never blocks. Orleans' socket
/// options (no delay, keep-alive) still apply.
/// </summary>
public static class InlineOrleansSockets
{
    /// <summary>
    /// Replaces the transport of every Orleans connection factory and listener registered so far; call it after
    /// Orleans has added its defaults (inside the silo or client builder's callback).
    /// </summary>
    public static IServiceCollection UseInlineOrleansSockets(this IServiceCollection services)
    {
        // Orleans resolves its transport as keyed services whose keys are internal; the last registration per key wins.
        var transports = services
            .Where(d => d.IsKeyedService && (d.ServiceType == typeof(IConnectionFactory) || d.ServiceType == typeof(IConnectionListenerFactory)))
            .Select(d => (d.ServiceType, d.ServiceKey))
            .Distinct()
            .ToList();
        if (transports.Count == 0)
        {
            throw new InvalidOperationException("No Orleans socket transport is registered to replace: has Orleans changed how it resolves its transport?");
        }

        services.TryAddSingleton<Transport>();
        foreach (var (type, key) in transports)
        {
            if (type == typeof(IConnectionFactory))
            {
                services.AddKeyedSingleton<IConnectionFactory>(key, (sp, _) => sp.GetRequiredService<Transport>());
            }
            else
            {
                services.AddKeyedSingleton<IConnectionListenerFactory>(key, (sp, _) => sp.GetRequiredService<Transport>().Listeners);
            }
        }

        return services;
    }

    private sealed class Transport : IConnectionFactory, IDisposable
    {
        private readonly SocketConnectionOptions orleans;
        private readonly SocketConnectionContextFactory connections;

        public Transport(IOptions<SocketConnectionOptions> orleansOptions, ILoggerFactory loggers)
        {
            orleans = orleansOptions.Value;
            // No buffer limits, as in Orleans' transport: a message larger than a limit would never be read whole.
            connections = new SocketConnectionContextFactory(
                new SocketConnectionFactoryOptions { UnsafePreferInlineScheduling = true, MaxReadBufferSize = null, MaxWriteBufferSize = null },
                loggers.CreateLogger<Transport>());
            Listeners = new SocketTransportFactory(
                Options.Create(new SocketTransportOptions
                {
                    UnsafePreferInlineScheduling = true,
                    MaxReadBufferSize = null,
                    MaxWriteBufferSize = null,
                    NoDelay = orleans.NoDelay,
                    // Accepted sockets inherit the listening socket's keep-alive settings.
                    CreateBoundListenSocket = endpoint => Configure(SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint)),
                }),
                loggers);
        }

        public SocketTransportFactory Listeners { get; }

        public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
        {
            var socket = Configure(new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = orleans.NoDelay });
            try
            {
                await socket.ConnectAsync(endpoint, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            return connections.Create(socket);
        }

        public void Dispose() => connections.Dispose();

        private Socket Configure(Socket socket)
        {
            if (orleans.KeepAlive)
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, orleans.KeepAliveTimeSeconds);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, orleans.KeepAliveIntervalSeconds);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, orleans.KeepAliveRetryCount);
            }

            return socket;
        }
    }
}

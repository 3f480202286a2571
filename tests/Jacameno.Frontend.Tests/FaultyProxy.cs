using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// A TCP relay on loopback in front of a service (PostgreSQL, Redis, S3), so a test can take that service away from
/// one cluster without touching the real one other tests share: <see cref="Cut"/> resets every open connection and
/// refuses new ones, as a crashed or restarting server does; <see cref="Restore"/> lets connections through again.
/// </summary>
public sealed class FaultyProxy : IAsyncDisposable
{
    private readonly int target;
    private readonly ConcurrentDictionary<Socket, Socket> open = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private TcpListener listener;
    private Task accepting;

    public FaultyProxy(int targetPort)
    {
        target = targetPort;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync(listener);
    }

    public int Port { get; }

    public bool IsCut { get; private set; }

    public void Cut()
    {
        lock (gate)
        {
            IsCut = true;
            listener.Stop(); // a connect is refused
        }

        foreach (var (client, server) in open)
        {
            Reset(client);
            Reset(server);
        }
    }

    public void Restore()
    {
        lock (gate)
        {
            if (!IsCut)
            {
                return;
            }

            listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            accepting = AcceptAsync(listener);
            IsCut = false;
        }
    }

    private async Task AcceptAsync(TcpListener from)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await from.AcceptSocketAsync(stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // cut, or disposed
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, target, stop.Token);
            open[client] = server;
            await Task.WhenAny(CopyAsync(client, server), CopyAsync(server, client));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            open.TryRemove(client, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stop.Token);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    /// <summary>Closes with RST, as a peer that died does, rather than an orderly FIN.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        foreach (var (client, server) in open)
        {
            Reset(client);
            Reset(server);
        }

        stop.Dispose();
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;

namespace Jacameno.Hosting;

/// <summary>
/// Runs a host so that a port another program holds ends the start with one line naming the setting to change,
/// instead of a stack trace from deep inside Orleans or Kestrel.
/// </summary>
public static class PortClash
{
    /// <returns>The process exit code: 0 after a normal stop, 1 when a port was taken.</returns>
    public static async Task<int> RunAsync(IHost host, JacamenoOptions options)
    {
        // Orleans' ports are checked first: its own failure names neither the port nor the setting.
        foreach (var (key, port) in OrleansPorts(options))
        {
            if (Taken(port))
            {
                await Console.Error.WriteLineAsync($"Jacameno cannot start: port {port} is in use by another program; set {key} to a free port.");
                return 1;
            }
        }

        try
        {
            await host.RunAsync();
            return 0;
        }
        catch (Exception e) when (AddressInUse(e) is { } reason)
        {
            await Console.Error.WriteLineAsync($"Jacameno cannot start: {reason} Set --urls (ASPNETCORE_URLS) to a free address.");
            return 1;
        }
    }

    /// <summary>The Orleans ports this process will listen on that are known before it starts (embedded mode picks free ones itself).</summary>
    private static IEnumerable<(string Key, int Port)> OrleansPorts(JacamenoOptions options)
    {
        if (options.Mode == PlatformMode.Cluster || options.Silo.Port is not null)
        {
            yield return ("Jacameno:Silo:Port", options.Silo.PortFor(options.Mode));
        }

        if (options.Silo.GatewayPortFor(options.Mode) is > 0 and var gateway)
        {
            yield return ("Jacameno:Silo:GatewayPort", gateway);
        }
    }

    private static bool Taken(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Any, port);
            probe.Start();
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
    }

    /// <summary>Kestrel's "Failed to bind to address …: address already in use." when that is what stopped the start.</summary>
    private static string? AddressInUse(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AddressInUseException || inner is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return e is IOException ? e.Message : inner.Message + ".";
            }
        }

        return null;
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Push;

/// <summary>
/// The one HTTP client pushes leave by. A Web Push endpoint is a URL a user gave us, so this client is built against
/// server-side request forgery: it connects only to public addresses (checked on the address it connects to, after
/// DNS, so a name that resolves to 10.0.0.1 or rebinds to 127.0.0.1 gets nowhere), follows no redirect, reads at most
/// <see cref="MaxResponseBytes"/> of any answer, and gives up after <see cref="PushOptions.Timeout"/>.
/// </summary>
public sealed class PushHttp : IDisposable
{
    /// <summary>The most of a push service's answer that is read (error details fit; a flood of bytes does not).</summary>
    public const int MaxResponseBytes = 16 * 1024;

    public PushHttp(IOptions<PushOptions> options)
    {
        var allowLocal = options.Value.AllowLocalEndpoints;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = options.Value.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxResponseHeadersLength = 64,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, allowLocal, cancellationToken),
        };
        Client = new HttpClient(new CappedResponses(handler))
        {
            Timeout = options.Value.Timeout,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();

    /// <summary>Whether an address is one a push may go to: public unicast, not loopback, private, link-local, shared or reserved.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224                      // this network, private, loopback, multicast and reserved
                || b[0] == 169 && b[1] == 254                               // link-local (cloud metadata services)
                || b[0] == 172 && b[1] is >= 16 and <= 31
                || b[0] == 192 && b[1] == 168
                || b[0] == 100 && b[1] is >= 64 and <= 127                  // carrier-grade NAT
                || b[0] == 192 && b[1] == 0 && b[2] is 0 or 2               // IETF protocol assignments, documentation
                || b[0] == 198 && b[1] is 18 or 19);                        // benchmarking
        }

        var v6 = address.GetAddressBytes();
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal
            || v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8 // documentation
            || v6[0] == 0x00);                                                  // ::/8, IPv4-compatible and the like
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowLocal, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var usable = allowLocal ? addresses : [.. addresses.Where(IsPublic)];
        if (usable.Length == 0)
        {
            throw new RefusedAddressException($"'{host}' resolves to no public address; pushes go to public push services only.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(usable, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Hands on at most <see cref="MaxResponseBytes"/> of an answer's body, whatever the service sends.</summary>
    private sealed class CappedResponses(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxResponseBytes];
            var read = 0;
            while (read < buffer.Length && await body.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
            {
                read += n;
            }

            var headers = response.Content.Headers.ToList();
            response.Content.Dispose();
            response.Content = new ByteArrayContent(buffer, 0, read);
            foreach (var (name, values) in headers.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                response.Content.Headers.TryAddWithoutValidation(name, values);
            }

            return response;
        }
    }
}

/// <summary>A push endpoint's name led only to addresses pushes may not go to.</summary>
public sealed class RefusedAddressException(string message) : Exception(message);

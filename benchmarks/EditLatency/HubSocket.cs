using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Jacameno.Benchmarks;

/// <summary>
/// One SignalR client for the edit-latency load: the JSON hub protocol spoken directly over a WebSocket (the handshake,
/// invocations, completions, records separated by 0x1E), as the browser's client does. The .NET HubConnection hands
/// every message through two pipes and two thread-pool hops; with 200 of them receiving 9 000 messages a second, the
/// load generator was the busiest process on the two cores it shares with the servers it measures (0.7-0.9 of a core),
/// and every server's latency was partly its queueing behind it. This one parses each record where it arrives.
/// </summary>
internal sealed class HubSocket : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1E;

    private readonly ClientWebSocket socket = new();
    private readonly ArrayBufferWriter<byte> output = new(512);
    private byte[] input = new byte[16 * 1024];
    private int filled;

    private HubSocket()
    {
    }

    /// <summary>Called with each message's JSON, on the thread its bytes arrived on, one message at a time.</summary>
    public delegate void MessageHandler(ReadOnlySpan<byte> message);

    /// <summary>Connects without negotiation (WebSockets only) and completes the JSON protocol's handshake.</summary>
    public static async Task<HubSocket> ConnectAsync(Uri hub, string? accessToken, CancellationToken cancellationToken)
    {
        var client = new HubSocket();
        var url = new UriBuilder(hub) { Scheme = hub.Scheme == "https" ? "wss" : "ws" };
        if (!string.IsNullOrEmpty(accessToken))
        {
            url.Query = $"access_token={Uri.EscapeDataString(accessToken)}";
        }

        await client.socket.ConnectAsync(url.Uri, cancellationToken);
        await client.socket.SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray(), WebSocketMessageType.Text, true, cancellationToken);
        var handshake = "";
        await client.ReceiveRecordsAsync(message => handshake = Encoding.UTF8.GetString(message), untilFirst: true, cancellationToken);
        if (handshake != "{}")
        {
            throw new InvalidOperationException($"The hub refused the handshake: {handshake}");
        }

        return client;
    }

    /// <summary>Sends an invocation; <paramref name="writeArguments"/> writes the elements of its arguments array.</summary>
    public ValueTask InvokeAsync(long invocationId, string target, Action<Utf8JsonWriter> writeArguments, CancellationToken cancellationToken)
    {
        output.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteNumber("type"u8, 1);
            json.WriteString("invocationId"u8, invocationId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("target"u8, target);
            json.WriteStartArray("arguments"u8);
            writeArguments(json);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.Write([RecordSeparator]);
        return socket.SendAsync(output.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken);
    }

    /// <summary>Hands every message to <paramref name="handler"/> until the server closes or the token fires.</summary>
    public Task ReceiveAsync(MessageHandler handler, CancellationToken cancellationToken) =>
        ReceiveRecordsAsync(handler, untilFirst: false, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // the server went first
        }

        socket.Dispose();
    }

    private async Task ReceiveRecordsAsync(MessageHandler handler, bool untilFirst, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Records already here first: the handshake's answer can arrive with the messages after it.
            var start = 0;
            int end;
            while ((end = Array.IndexOf(input, RecordSeparator, start, filled - start)) >= 0)
            {
                handler(input.AsSpan(start, end - start));
                start = end + 1;
                if (untilFirst)
                {
                    break;
                }
            }

            input.AsSpan(start, filled - start).CopyTo(input);
            filled -= start;
            if (untilFirst && start > 0)
            {
                return;
            }

            if (filled == input.Length)
            {
                Array.Resize(ref input, input.Length * 2);
            }

            ValueWebSocketReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(input.AsMemory(filled), cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException && cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            filled += received.Count;
        }
    }
}

using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>A raw graphql-transport-ws client, for tests that check the protocol message by message.</summary>
public sealed class GraphQLSocket(WebSocket socket) : IAsyncDisposable
{
    public const string SubProtocol = "graphql-transport-ws";

    public WebSocket Socket { get; } = socket;

    /// <summary>Opens a socket to a platform listening on a real port (<see cref="KestrelPlatform"/>).</summary>
    public static async Task<GraphQLSocket> ConnectAsync(Uri http, string? queryToken = null, string? subProtocol = SubProtocol)
    {
        var client = new ClientWebSocket();
        if (subProtocol is not null)
        {
            client.Options.AddSubProtocol(subProtocol);
        }

        var uri = new UriBuilder(http) { Scheme = http.Scheme == "https" ? "wss" : "ws", Path = "/graphql", Query = queryToken is null ? "" : $"access_token={queryToken}" }.Uri;
        await client.ConnectAsync(uri, CancellationToken.None);
        return new GraphQLSocket(client);
    }

    /// <summary>Opens a socket through a test server (a cluster frontend).</summary>
    public static async Task<GraphQLSocket> ConnectAsync(Microsoft.AspNetCore.TestHost.TestServer server)
    {
        var client = server.CreateWebSocketClient();
        client.SubProtocols.Add(SubProtocol);
        return new GraphQLSocket(await client.ConnectAsync(new Uri(server.BaseAddress, "/graphql"), CancellationToken.None));
    }

    /// <summary>connection_init with the token in its payload; returns after connection_ack.</summary>
    public async Task InitAsync(string? token)
    {
        await SendAsync(new { type = "connection_init", payload = token is null ? null : new { authorization = $"Bearer {token}" } });
        Assert.Equal("connection_ack", (await ReceiveAsync()).GetProperty("type").GetString());
    }

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message; fails on a close or after the timeout.</summary>
    public async Task<JsonElement> ReceiveAsync(int seconds = 15) =>
        await ReceiveOrCloseAsync(seconds) is { } message ? message : throw new Xunit.Sdk.XunitException($"Closed: {Socket.CloseStatus} {Socket.CloseStatusDescription}");

    /// <summary>The next message, or null when the server closed the socket (see <see cref="WebSocket.CloseStatus"/>).</summary>
    public async Task<JsonElement?> ReceiveOrCloseAsync(int seconds = 15)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await Socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }

    /// <summary>Reads until the server closes; returns its close code.</summary>
    public async Task<int> ClosedWithAsync(int seconds = 15)
    {
        while (await ReceiveOrCloseAsync(seconds) is not null)
        {
        }

        return (int)Socket.CloseStatus!.Value;
    }

    /// <summary>Messages of one operation until <paramref name="until"/> holds for one (skipping others).</summary>
    public async Task<JsonElement> ReceiveForAsync(string id, Func<JsonElement, bool>? until = null, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var left = (int)Math.Ceiling((deadline - DateTime.UtcNow).TotalSeconds);
            Assert.True(left > 0, $"No matching message for {id} within {seconds} s.");
            var message = await ReceiveAsync(left);
            if (message.TryGetProperty("id", out var got) && got.GetString() == id && (until is null || until(message)))
            {
                return message;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        Socket.Dispose();
    }
}

/// <summary>The embedded platform on a real port, for WebSocket clients (.NET's and node's) that need one.</summary>
public sealed class KestrelPlatform : EmbeddedPlatform
{
    public KestrelPlatform() : base(NewDataDirectory(), new Dictionary<string, string?>
    {
        ["Jacameno:GraphQL:ConnectionInitTimeout"] = "00:00:03",
        ["Jacameno:GraphQL:SessionCheckInterval"] = "00:00:01",
        ["Jacameno:GraphQL:MaxOperationsPerSocket"] = "10",
    })
    {
        UseKestrel(0);
        StartServer();
        using var client = CreateClient();
        Address = client.BaseAddress!;
    }

    public Uri Address { get; }
}

[CollectionDefinition(Name)]
public sealed class KestrelPlatformCollection : ICollectionFixture<KestrelPlatform>
{
    public const string Name = "kestrel platform";
}

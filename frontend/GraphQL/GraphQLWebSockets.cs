using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using GraphQL;
using GraphQL.Transport;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.GraphQL;

/// <summary>
/// GraphQL over WebSocket at <c>/graphql</c> with the graphql-transport-ws protocol (the graphql-ws library's):
/// connection_init (with the access token in its payload, or in the query string as the hub takes it) and
/// connection_ack, ping and pong, subscribe, next, error and complete, and the protocol's close codes. Subscriptions
/// stream; queries and mutations answer once. Ours, as the HTTP transport is (no GraphQL.Server package here).
/// </summary>
public static partial class GraphQLWebSockets
{
    public const string SubProtocol = "graphql-transport-ws";

    /// <summary>Messages waiting to be sent to one socket; a client that lets more pile up is cut off.</summary>
    public const int MaxQueuedMessages = 1024;

    public static async Task AcceptAsync(HttpContext http)
    {
        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol))
        {
            await Problems.WriteAsync(http, 400, "Bad request", $"Ask for the {SubProtocol} subprotocol (Sec-WebSocket-Protocol).");
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync(SubProtocol);
        var session = new Session(socket, http, http.RequestServices.GetRequiredService<IOptions<GraphQLOptions>>().Value,
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GraphQLWebSockets)));
        await session.RunAsync();
    }

    /// <summary>The close codes of graphql-transport-ws.</summary>
    private static class Close
    {
        public const int BadRequest = 4400;
        public const int Unauthorized = 4401;
        public const int Forbidden = 4403;
        public const int InitTimeout = 4408;
        public const int SubscriberExists = 4409;
        public const int TooManyInits = 4429;
        public const int MessageTooBig = 1009;
        public const int PolicyViolation = 1008;
    }

    private sealed class OutgoingMessage(string type, string? id = null, object? payload = null)
    {
        [JsonPropertyName("type")]
        public string Type { get; } = type;

        [JsonPropertyName("id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Id { get; } = id;

        [JsonPropertyName("payload"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public object? Payload { get; } = payload;
    }

    /// <summary>Event results as sent, while the result lives: subscribers who share a result share its bytes.</summary>
    private static readonly ConditionalWeakTable<ExecutionResult, byte[]> SerializedResults = [];

    private readonly record struct Outgoing(byte[]? Message, int CloseCode = 0, string? Reason = null);

    private sealed partial class Session(WebSocket socket, HttpContext http, GraphQLOptions options, ILogger logger)
    {
        private readonly Channel<Outgoing> outbox = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(MaxQueuedMessages) { SingleReader = true });
        private readonly ConcurrentDictionary<string, Operation> operations = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource closing = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        private readonly IGraphQLTextSerializer serializer = http.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
        private readonly IGrainFactory grains = http.RequestServices.GetRequiredService<IGrainFactory>();
        private ClaimsPrincipal user = new(new ClaimsIdentity());
        private string? personalToken; // a personal access token signed the socket in: it is checked again, not a session
        private int initReceived;
        private volatile bool acknowledged;
        private int closed;

        public async Task RunAsync()
        {
            var writer = WriteAsync();
            var watch = WatchAsync();
            try
            {
                await ReadAsync();
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // the client went away, or the socket was cut off
            }
            finally
            {
                foreach (var operation in operations.Values)
                {
                    operation.Stop();
                }

                operations.Clear();
                // What is queued (a close frame last) goes out before the socket is let go, if the client takes it soon.
                outbox.Writer.TryComplete();
                await Task.WhenAny(writer, Task.Delay(TimeSpan.FromSeconds(5)));
                await closing.CancelAsync();
                await writer;
                await watch;
            }
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[1024];
            using var message = new MemoryStream();
            while (socket.State == WebSocketState.Open)
            {
                message.SetLength(0);
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(buffer.AsMemory(), closing.Token);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        CloseWith((int)WebSocketCloseStatus.NormalClosure, "");
                        return;
                    }

                    if (message.Length + received.Count > options.MaxSocketMessageBytes)
                    {
                        CloseWith(Close.MessageTooBig, $"A message may be at most {options.MaxSocketMessageBytes} bytes.");
                        return;
                    }

                    message.Write(buffer, 0, received.Count);
                }
                while (!received.EndOfMessage);

                if (received.MessageType != WebSocketMessageType.Text)
                {
                    CloseWith(Close.BadRequest, "Send messages as text.");
                    return;
                }

                if (!await HandleAsync(message.GetBuffer().AsMemory(0, (int)message.Length)))
                {
                    return;
                }
            }
        }

        /// <summary>Handles one message; false when it closed the socket.</summary>
        private async Task<bool> HandleAsync(ReadOnlyMemory<byte> text)
        {
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(text);
                root = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return CloseWith(Close.BadRequest, "Invalid message: not JSON.");
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                return CloseWith(Close.BadRequest, "Invalid message: an object with a string 'type' expected.");
            }

            var payload = root.TryGetProperty("payload", out var p) && p.ValueKind != JsonValueKind.Null ? p : (JsonElement?)null;
            switch (typeElement.GetString())
            {
                case "connection_init":
                    if (Interlocked.Exchange(ref initReceived, 1) == 1)
                    {
                        return CloseWith(Close.TooManyInits, "Too many initialisation requests");
                    }

                    if (await AuthenticateAsync(payload) is not { } principal)
                    {
                        return CloseWith(Close.Forbidden, "Forbidden: the access token is invalid, expired, or its session ended.");
                    }

                    // The socket's requests are this user's from now on (the rate limiter partitions by it).
                    user = http.User = principal;
                    acknowledged = true;
                    Send(new OutgoingMessage("connection_ack"));
                    return true;
                case "ping":
                    Send(new OutgoingMessage("pong", payload: payload));
                    return true;
                case "pong":
                    return true;
                case "subscribe":
                    return await SubscribeAsync(root, payload);
                case "complete":
                    if (Id(root) is not { } completed)
                    {
                        return CloseWith(Close.BadRequest, "Invalid message: 'complete' needs an 'id'.");
                    }

                    if (operations.TryRemove(completed, out var operation))
                    {
                        operation.Stop();
                    }

                    return true;
                default:
                    return CloseWith(Close.BadRequest, "Invalid message: unknown type.");
            }
        }

        private async Task<bool> SubscribeAsync(JsonElement root, JsonElement? payload)
        {
            if (!acknowledged)
            {
                return CloseWith(Close.Unauthorized, "Unauthorized");
            }

            if (Id(root) is not { } id)
            {
                return CloseWith(Close.BadRequest, "Invalid message: 'subscribe' needs a non-empty string 'id'.");
            }

            GraphQLRequest? request = null;
            try
            {
                request = payload is { ValueKind: JsonValueKind.Object } body ? serializer.Deserialize<GraphQLRequest>(body.GetRawText()) : null;
            }
            catch (Exception ex) when (ex is JsonException or global::GraphQL.Execution.InvalidOperationError or InvalidOperationException or NotSupportedException)
            {
            }

            if (request is null)
            {
                return CloseWith(Close.BadRequest, "Invalid message: 'subscribe' needs a payload {query, variables?, operationName?}.");
            }

            // Checked on every subscribe, so a signed-out token starts nothing more (the periodic check closes the socket).
            if (!await StillSignedInAsync())
            {
                return CloseWith(Close.Forbidden, "Forbidden: the session of this access token has ended; sign in again.");
            }

            var operation = new Operation(id, closing.Token);
            if (operations.Count >= options.MaxOperationsPerSocket)
            {
                SendErrors(id, [new ExecutionError($"A socket may run at most {options.MaxOperationsPerSocket} operations at once; complete one first.") { Code = "TOO_MANY_REQUESTS" }]);
                return true;
            }

            // Each operation is a request: it draws on the same per-minute budget as HTTP requests do.
            if (http.RequestServices.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter is { } limiter)
            {
                using var lease = await limiter.AcquireAsync(http, cancellationToken: closing.Token);
                if (!lease.IsAcquired)
                {
                    SendErrors(id, [new ExecutionError("Too many requests; try again in a minute.") { Code = "TOO_MANY_REQUESTS" }]);
                    return true;
                }
            }

            if (!operations.TryAdd(id, operation))
            {
                return CloseWith(Close.SubscriberExists, $"Subscriber for {id} already exists");
            }

            var variables = payload!.Value.TryGetProperty("variables", out var v) ? v.GetRawText() : "";
            _ = RunAsync(operation, request, variables);
            return true;
        }

        private async Task RunAsync(Operation operation, GraphQLRequest request, string variablesJson)
        {
            try
            {
                if (request.Query?.Length > GraphQLEndpoints.MaxQueryLength)
                {
                    End(operation, [new ExecutionError($"The query is longer than {GraphQLEndpoints.MaxQueryLength} characters.") { Code = "REQUEST_TOO_LARGE" }]);
                    return;
                }

                string document;
                switch (http.RequestServices.GetRequiredService<PersistedQueries>().Resolve(request))
                {
                    case PersistedQueries.Resolution.Run run:
                        document = run.Query;
                        break;
                    case PersistedQueries.Resolution.Refused refused:
                        End(operation, [new ExecutionError(refused.Message) { Code = refused.Code }]);
                        return;
                    case PersistedQueries.Resolution.Invalid invalid:
                        End(operation, [new ExecutionError(invalid.Reason) { Code = "BAD_REQUEST" }]);
                        return;
                    default:
                        throw new InvalidOperationException("A persisted-query resolution this transport does not know.");
                }

                // Subscribers who asked the same thing share each event's result (SharedEventExecutionStrategy).
                var shareKey = SharedEventExecutionStrategy.ShareKey(user, request.OperationName, document, variablesJson);
                var result = await GraphQLEndpoints.RunAsync(http.RequestServices, user, request, document, operation.Token, [],
                    new Dictionary<string, object?> { [SharedEventExecutionStrategy.ShareKeyEntry] = shareKey });
                if (result.Streams is { Count: > 0 } streams)
                {
                    operation.Attach(streams.Values.First().Subscribe(new Forwarder(this, operation)));
                }
                else if (result.Executed && result.Data is not null)
                {
                    // A query or mutation: one result, then done.
                    if (operations.TryRemove(KeyValuePair.Create(operation.Id, operation)))
                    {
                        Send(new OutgoingMessage("next", operation.Id, result));
                        Send(new OutgoingMessage("complete", operation.Id));
                    }
                }
                else
                {
                    End(operation, result.Errors is { Count: > 0 } errors ? [.. errors] : [new ExecutionError("The operation did not run.")]);
                }
            }
            catch (OperationCanceledException) when (operation.Token.IsCancellationRequested)
            {
                operations.TryRemove(KeyValuePair.Create(operation.Id, operation));
            }
            catch (Exception ex)
            {
                LogOperationFailed(logger, ex);
                End(operation, [new ExecutionError("The operation failed.")]);
            }
        }

        /// <summary>Ends an operation that is still running with an error message.</summary>
        private void End(Operation operation, IReadOnlyList<ExecutionError> errors)
        {
            if (operations.TryRemove(KeyValuePair.Create(operation.Id, operation)))
            {
                operation.Stop();
                SendErrors(operation.Id, errors);
            }
        }

        private void SendErrors(string id, IReadOnlyList<ExecutionError> errors) =>
            Send(new OutgoingMessage("error", id, errors));

        /// <summary>
        /// Whether the socket's user is still signed in: the session of its access token is on, or its personal access
        /// token is neither revoked nor expired. An anonymous socket always is.
        /// </summary>
        private async Task<bool> StillSignedInAsync() =>
            user.Identity?.IsAuthenticated != true
            || (personalToken is { } token
                ? await Apps.PersonalTokenAuthentication.PrincipalAsync(grains, token) is not null
                : await AuthSetup.SessionIsActiveAsync(user, grains));

        /// <summary>
        /// The token of connection_init's payload (authorization, as "Bearer …" or bare, or token), else the request's
        /// own: an access token or a personal access token.
        /// </summary>
        private async Task<ClaimsPrincipal?> AuthenticateAsync(JsonElement? payload)
        {
            string? token = null;
            if (payload is { ValueKind: JsonValueKind.Object } body)
            {
                foreach (var property in body.EnumerateObject())
                {
                    if ((property.Name.Equals("authorization", StringComparison.OrdinalIgnoreCase) || property.Name.Equals("token", StringComparison.Ordinal))
                        && property.Value.ValueKind == JsonValueKind.String)
                    {
                        var value = property.Value.GetString()!.Trim();
                        token = value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value[7..].Trim() : value;
                    }
                }
            }

            if (token is null)
            {
                // The upgrade request's own token (access_token in the query string, or a header): the authentication
                // middleware checked it and its session; one that failed does not pass as anonymous.
                var result = await http.AuthenticateAsync();
                if (result.Failure is null && http.User.Identity?.AuthenticationType == Apps.PersonalTokenAuthentication.SchemeName)
                {
                    personalToken = Apps.PersonalTokenAuthentication.TokenOf(http);
                }

                return result.Failure is null ? http.User : null;
            }

            if (token.StartsWith(Jacameno.Apps.PersonalTokens.Prefix, StringComparison.Ordinal))
            {
                personalToken = token;
                return await Apps.PersonalTokenAuthentication.PrincipalAsync(grains, token);
            }

            var jwt = http.RequestServices.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
            foreach (var handler in jwt.TokenHandlers)
            {
                var validated = await handler.ValidateTokenAsync(token, jwt.TokenValidationParameters);
                if (validated.IsValid)
                {
                    var principal = new ClaimsPrincipal(validated.ClaimsIdentity);
                    return await AuthSetup.SessionIsActiveAsync(principal, grains) ? principal : null;
                }
            }

            return null;
        }

        /// <summary>Closes a socket that does not initialise in time, and a signed-in one whose session has ended.</summary>
        private async Task WatchAsync()
        {
            try
            {
                await Task.Delay(options.ConnectionInitTimeout, closing.Token);
                if (Volatile.Read(ref initReceived) == 0)
                {
                    CloseWith(Close.InitTimeout, "Connection initialisation timeout");
                    return;
                }

                using var timer = new PeriodicTimer(options.SessionCheckInterval);
                while (await timer.WaitForNextTickAsync(closing.Token))
                {
                    if (!await StillSignedInAsync())
                    {
                        CloseWith(Close.Forbidden, "Forbidden: the session of this access token has ended; sign in again.");
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex)
            {
                LogOperationFailed(logger, ex);
            }
        }

        private async Task WriteAsync()
        {
            try
            {
                await foreach (var item in outbox.Reader.ReadAllAsync(closing.Token))
                {
                    if (item.Message is { } bytes)
                    {
                        await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, closing.Token);
                        continue;
                    }

                    await socket.CloseOutputAsync((WebSocketCloseStatus)item.CloseCode, item.Reason, closing.Token);
                    // The client answers with its own close frame, which ends the read; one that does not is cut off.
                    closing.CancelAfter(TimeSpan.FromSeconds(5));
                    return;
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        private void Send(OutgoingMessage message)
        {
            if (Volatile.Read(ref closed) == 0)
            {
                Send(System.Text.Encoding.UTF8.GetBytes(serializer.Serialize(message)));
            }
        }

        /// <summary>An event's result as a "next" message; the result is serialized once for all who share it.</summary>
        private void SendNext(string id, ExecutionResult result)
        {
            if (Volatile.Read(ref closed) == 1)
            {
                return;
            }

            if (!SerializedResults.TryGetValue(result, out var payload))
            {
                payload = System.Text.Encoding.UTF8.GetBytes(serializer.Serialize(result));
                SerializedResults.AddOrUpdate(result, payload);
            }

            var message = new ArrayBufferWriter<byte>(payload.Length + id.Length + 48);
            using (var json = new Utf8JsonWriter(message))
            {
                json.WriteStartObject();
                json.WriteString("type", "next");
                json.WriteString("id", id);
                json.WritePropertyName("payload");
                json.WriteRawValue(payload, skipInputValidation: true);
                json.WriteEndObject();
            }

            Send(message.WrittenSpan.ToArray());
        }

        private void Send(byte[] message)
        {
            if (Volatile.Read(ref closed) == 1)
            {
                return;
            }

            if (!outbox.Writer.TryWrite(new Outgoing(message)))
            {
                // The client does not read what it is sent: cut it off rather than queue without bound.
                LogSlowClient(logger, MaxQueuedMessages);
                Interlocked.Exchange(ref closed, 1);
                socket.Abort();
                closing.Cancel();
            }
        }

        private bool CloseWith(int code, string reason)
        {
            if (Interlocked.Exchange(ref closed, 1) == 0 && !outbox.Writer.TryWrite(new Outgoing(null, code, reason)))
            {
                socket.Abort();
            }

            outbox.Writer.TryComplete();
            return false;
        }

        private static string? Id(JsonElement root) =>
            root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 and <= 128 } value ? value : null;

        private sealed class Forwarder(Session session, Operation operation) : IObserver<ExecutionResult>
        {
            public void OnNext(ExecutionResult value) => session.SendNext(operation.Id, value);

            public void OnError(Exception error) =>
                session.End(operation, [error as ExecutionError ?? new ExecutionError("The event stream failed.")]);

            public void OnCompleted()
            {
                if (session.operations.TryRemove(KeyValuePair.Create(operation.Id, operation)))
                {
                    operation.Stop();
                    session.Send(new OutgoingMessage("complete", operation.Id));
                }
            }
        }

        [LoggerMessage(Level = LogLevel.Error, Message = "A GraphQL operation over a WebSocket failed")]
        private static partial void LogOperationFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "A GraphQL WebSocket client let {Count} messages pile up unread; it was cut off")]
        private static partial void LogSlowClient(ILogger logger, int count);
    }

    /// <summary>One running operation: cancelled, and its event stream let go, when it completes or the socket closes.</summary>
    private sealed class Operation
    {
        private readonly CancellationTokenSource cancel;
        private IDisposable? subscription;
        private int stopped;

        public Operation(string id, CancellationToken socket)
        {
            Id = id;
            cancel = CancellationTokenSource.CreateLinkedTokenSource(socket);
            Token = cancel.Token; // kept: the source is disposed on stop, the token stays readable
        }

        public string Id { get; }

        public CancellationToken Token { get; }

        /// <summary>Keeps the stream's subscription; one that arrives after the stop is let go at once.</summary>
        public void Attach(IDisposable stream)
        {
            Interlocked.Exchange(ref subscription, stream);
            if (Volatile.Read(ref stopped) == 1)
            {
                Interlocked.Exchange(ref subscription, null)?.Dispose();
            }
        }

        public void Stop()
        {
            if (Interlocked.Exchange(ref stopped, 1) == 0)
            {
                cancel.Cancel();
                Interlocked.Exchange(ref subscription, null)?.Dispose();
                cancel.Dispose();
            }
        }
    }
}

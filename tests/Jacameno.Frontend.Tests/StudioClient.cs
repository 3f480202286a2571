using System.Text.Json;
using System.Text.Json.Serialization;
using Jacameno.Frontend.Projects;
using Jacameno.Projects;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// A test client of the studio hub that keeps a replica of one project, as the web app does: it starts
/// from the join result and applies OpsApplied and its own submissions' results in version order (buffering ops
/// that arrive early), with the same editor the server uses.
/// </summary>
public sealed class StudioClient : IAsyncDisposable
{
    public static readonly JsonSerializerOptions WireJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly SortedDictionary<long, AppliedOpResponse> pending = [];
    private readonly List<long> delivered = [];
    private readonly Lock gate = new();
    private ProjectEditor? replica;

    private StudioClient(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    public long Version { get; private set; }

    public List<object?[]> Received { get; } = [];

    public ProjectDocument Replica => replica?.Document ?? throw new InvalidOperationException("Join first.");

    public static async Task<StudioClient> ConnectAsync(TestServer server, string accessToken, bool messagePack = false)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/studio"), o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
            });
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }
        else
        {
            builder.AddJsonProtocol(o => o.PayloadSerializerOptions = WireJson);
        }

        var client = new StudioClient(builder.Build());
        client.Connection.On<Guid, List<AppliedOpResponse>>("OpsApplied", (_, ops) => client.OnOps(ops));
        foreach (var (name, arity) in new[] { ("PresenceChanged", 2), ("CollaboratorJoined", 3), ("CollaboratorLeft", 3), ("ProjectAccessRevoked", 1), ("ProjectDeleted", 1), ("JobProgress", 1), ("JobCompleted", 1), ("AssetProgress", 1), ("AssetProcessed", 1), ("Notification", 1) })
        {
            client.Connection.On(name, Enumerable.Repeat(typeof(object), arity).ToArray(), args =>
            {
                lock (client.Received)
                {
                    client.Received.Add([name, .. args]);
                }

                return Task.CompletedTask;
            });
        }

        await client.Connection.StartAsync();

        // StartAsync returns at the handshake, which the server answers before its OnConnectedAsync (the user's group
        // and event subscription) has run; it reads invocations only after, so this answer means the user's events
        // published from now on reach this connection.
        await client.Connection.InvokeAsync<object>("WhoAmI");
        return client;
    }

    public async Task<JoinProjectResult> JoinAsync(Guid projectId)
    {
        var result = await Connection.InvokeAsync<JoinProjectResult>("JoinProject", projectId, (long?)null);
        lock (gate)
        {
            replica = new ProjectEditor(result.Snapshot!);
            Version = result.Snapshot!.Version;
            Drain();
        }

        return result;
    }

    /// <summary>
    /// Rejoins after a gap (a reconnect, a lost stream event): asks for the ops after its version, retrying, as
    /// the hub asks, while part of the cluster is restarting. A connection the outage closed (a long poll answered
    /// 503 while the session's silo was down) is started again first, as the web app's automatic reconnect does.
    /// </summary>
    public async Task CatchUpAsync(Guid projectId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if (Connection.State == HubConnectionState.Disconnected)
                {
                    await Connection.StartAsync();
                }

                var result = await Connection.InvokeAsync<JoinProjectResult>("JoinProject", projectId, (long?)Version);
                OnOps(result.Ops?.ToList() ?? []);
                return;
            }
            catch (Exception e) when (DateTime.UtcNow < deadline
                && (e is HttpRequestException || Connection.State == HubConnectionState.Disconnected
                    || (e is Microsoft.AspNetCore.SignalR.HubException && e.Message.Contains(Hosting.Problems.Restarting, StringComparison.Ordinal))))
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>Submits, and applies the ops that applied from the result, as the web app does (they are not sent back as OpsApplied).</summary>
    public async Task<SubmitOpsResponse> SubmitAsync(Guid projectId, params OpRequest[] ops)
    {
        var result = await Connection.InvokeAsync<SubmitOpsResponse>("SubmitOps", projectId, ops);
        OnOps([.. result.Ops]);
        return result;
    }

    /// <summary>Waits until the replica has applied <paramref name="version"/>.</summary>
    public async Task WaitForVersionAsync(long version, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (Version < version)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The replica is at version {Version}, not {version}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>The version of every op delivered to this connection, in arrival order, duplicates included.</summary>
    public List<long> DeliveredVersions()
    {
        lock (gate)
        {
            return [.. delivered];
        }
    }

    public List<object?[]> ReceivedNamed(string name)
    {
        lock (Received)
        {
            return Received.Where(r => (string?)r[0] == name).ToList();
        }
    }

    public static OpRequest Op(string kind, object payload, long baseVersion = 0, string clientId = "studio-test") =>
        new(clientId, Guid.NewGuid().ToString("N"), baseVersion, kind, PlainJson.Parse(JsonSerializer.Serialize(payload, WireJson)));

    private void OnOps(List<AppliedOpResponse> ops)
    {
        lock (gate)
        {
            foreach (var op in ops)
            {
                pending[op.Version] = op;
                delivered.Add(op.Version);
            }

            if (replica is not null)
            {
                Drain();
            }
        }
    }

    private void Drain()
    {
        foreach (var stale in pending.Keys.Where(v => v <= Version).ToList())
        {
            pending.Remove(stale);
        }

        while (pending.Remove(Version + 1, out var next))
        {
            replica!.Apply(next.UserId, ProjectRole.Owner, next.Kind, PayloadJson(next.Payload), next.At, trusted: true);
            Version = next.Version;
            replica.Document.Version = next.Version;
            replica.Document.UpdatedAt = next.At;
        }
    }

    private static string PayloadJson(object? payload) => payload is JsonElement element ? element.GetRawText() : JsonSerializer.Serialize(payload);

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}

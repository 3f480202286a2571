using Jacameno.Benchmarks;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

// Edit-to-peer latency: N SignalR clients in P projects, each submitting R ops/s; for every op, the time
// from submit to its arrival at each other client of the project. Against Jacameno (/hubs/studio:
// auth, ordering, the op log, the project stream) or the bare hub (/hubs/bare: relay only).
// Usage: EditLatency <jacameno|bare> <base url> [clients 200] [projects 20] [ops per second 5] [seconds 20] [samples file]
//        EditLatency report <samples file>: the percentiles of the deliveries that runs appended to the file
//        EditLatency throughput <base url> <clips in the project> [submitters 8] [seconds 10]
//        EditLatency jobs <base url> [jobs 1000] [concurrency 32]
if (args[0] == "jobs")
{
    await JobOverhead.RunAsync(new Uri(args[1]), args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 32);
    return;
}

if (args[0] == "report")
{
    Console.WriteLine(Percentiles(File.ReadLines(args[1]).Select(l => double.Parse(l, System.Globalization.CultureInfo.InvariantCulture))));
    return;
}

if (args[0] == "throughput")
{
    await Throughput.RunAsync(new Uri(args[1]), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture),
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 8,
        args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 10);
    return;
}

var mode = args[0];
var baseUrl = new Uri(args[1]);
var clients = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200;
var projects = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 20;
var rate = args.Length > 4 ? double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 5;
var seconds = args.Length > 5 ? int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : 20;
var samplesFile = args.Length > 6 ? args[6] : null;

var sent = new ConcurrentDictionary<string, long>();
var latencies = new ConcurrentBag<double>();
var ackLatencies = new ConcurrentBag<double>(); // submit → the submitter's ack: the server's own path, without the fan-out
var measuring = false;
var acked = 0L;
var rejected = 0L;

// Only the first copy of an op at each client counts (a server may send one twice; the client drops it).
void Received(HashSet<string> seen, string opId)
{
    bool first;
    lock (seen)
    {
        first = seen.Add(opId);
    }

    if (first && measuring && sent.TryGetValue(opId, out var at))
    {
        latencies.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
    }
}

using var http = new HttpClient { BaseAddress = baseUrl };
var rooms = new List<(string Group, string Token, string Track)>();
for (var p = 0; p < projects; p++)
{
    if (mode == "bare")
    {
        rooms.Add(($"room-{p}", "", ""));
        continue;
    }

    var register = await http.PostAsJsonAsync("/api/auth/register", new { email = $"bench-{Guid.NewGuid():N}@example.org", password = "benchmark pass", displayName = $"Bench {p}" });
    var token = (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    using var create = new HttpRequestMessage(HttpMethod.Post, "/api/projects") { Content = JsonContent.Create(new { name = $"Bench {p}" }) };
    create.Headers.Authorization = new("Bearer", token);
    var project = (await (await http.SendAsync(create)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    var track = Guid.NewGuid().ToString();
    using var add = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{project}/ops")
    {
        Content = JsonContent.Create(new { ops = new[] { new { clientId = "setup", opId = "1", baseVersion = 0, kind = "track.add", payload = new { trackId = track, name = "Bench" } } } }),
    };
    add.Headers.Authorization = new("Bearer", token);
    (await http.SendAsync(add)).EnsureSuccessStatusCode();
    rooms.Add((project, token, track));
}

var connections = new List<(HubConnection Connection, string Group, string Track, string ClientId)>();
for (var c = 0; c < clients; c++)
{
    var room = rooms[c % projects];
    var connection = new HubConnectionBuilder()
        .WithUrl(new Uri(baseUrl, mode == "bare" ? "/hubs/bare" : "/hubs/studio"), o =>
        {
            o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            o.AccessTokenProvider = () => Task.FromResult<string?>(room.Token);
        })
        .Build();
    var seenHere = new HashSet<string>();
    if (mode == "bare")
    {
        connection.On<string, object?>("Relayed", (opId, _) => Received(seenHere, opId));
        await connection.StartAsync();
        await connection.InvokeAsync("Join", room.Group);
    }
    else
    {
        var self = $"c{c}";
        // Typed, as a client's model would be: the fields it needs, not a copy of the whole message (a JsonElement
        // is one), which cost this load generator more CPU than the servers it measures.
        connection.On<Guid, List<SeenOp>>("OpsApplied", (_, ops) =>
        {
            // Peers only, as the bare hub relays to the others in the group.
            foreach (var op in ops.Where(op => op.ClientId != self))
            {
                Received(seenHere, op.OpId);
            }
        });
        await connection.StartAsync();
        await connection.InvokeAsync<JsonElement>("JoinProject", Guid.Parse(room.Group), (long?)null);
    }

    connections.Add((connection, room.Group, room.Track, $"c{c}"));
}

Console.WriteLine($"{mode}: {clients} clients in {projects} projects, {rate} ops/s each, {seconds} s");
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 3));
var warmUpUntil = DateTime.UtcNow.AddSeconds(3);
var period = TimeSpan.FromSeconds(1 / rate);
var senders = connections.Select((client, index) => Task.Run(async () =>
{
    // Spread the clients' first sends over one period, then keep the rate without drift.
    await Task.Delay(TimeSpan.FromTicks(period.Ticks * index / connections.Count));
    var next = Stopwatch.GetTimestamp();
    var n = 0;
    while (!stop.IsCancellationRequested)
    {
        measuring = DateTime.UtcNow > warmUpUntil;
        var opId = $"{client.ClientId}-{n++}";
        sent[opId] = Stopwatch.GetTimestamp();
        var payload = new { trackId = client.Track, volumeDb = -(n % 40), pan = 0.0 };
        try
        {
            if (mode == "bare")
            {
                await client.Connection.InvokeAsync("Send", client.Group, opId, payload);
            }
            else
            {
                var result = await client.Connection.InvokeAsync<SubmitView>("SubmitOps", Guid.Parse(client.Group),
                    new[] { new { clientId = client.ClientId, opId, baseVersion = 0, kind = "track.set", payload } });
                if (measuring)
                {
                    ackLatencies.Add(Stopwatch.GetElapsedTime(sent[opId]).TotalMilliseconds);
                }

                if (result.Acks[0].Status == "applied")
                {
                    Interlocked.Increment(ref acked);
                }
                else
                {
                    Interlocked.Increment(ref rejected);
                }
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
        }

        next += (long)(period.TotalSeconds * Stopwatch.Frequency);
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }
})).ToList();
await Task.WhenAll(senders);
await Task.Delay(1000);

static string Percentiles(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    double At(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    return $"p50 {At(0.50):F2} ms  p90 {At(0.90):F2} ms  p99 {At(0.99):F2} ms  max {(sorted.Length == 0 ? double.NaN : sorted[^1]):F2} ms";
}

if (samplesFile is not null)
{
    await File.AppendAllLinesAsync(samplesFile, latencies.Select(l => l.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)));
}

// Its own CPU: it shares the machine with the servers, so a load generator that costs more for one mode taxes that mode.
Console.WriteLine($"deliveries measured: {latencies.Count}{(mode == "bare" ? "" : $", ops acked: {acked}, rejected: {rejected}")}, " +
    $"load generator CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1} s");
Console.WriteLine(Percentiles(latencies));
if (mode != "bare")
{
    Console.WriteLine($"acks: {Percentiles(ackLatencies)}");
}
foreach (var (connection, _, _, _) in connections)
{
    await connection.DisposeAsync();
}

internal sealed record SeenOp(string ClientId, string OpId);

internal sealed record AckView(string Status);

internal sealed record SubmitView(List<AckView> Acks);

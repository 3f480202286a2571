using Jacameno.Benchmarks;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

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

using var http = new HttpClient { BaseAddress = baseUrl };
var rooms = new List<(string Group, string Token, string Track)>();
for (var p = 0; p < projects; p++)
{
    if (mode == "bare")
    {
        rooms.Add(($"room-{p}", "", ""));
        continue;
    }

    var email = $"bench-{Guid.NewGuid():N}@example.org";
    (await http.PostAsJsonAsync("/api/auth/register", new { email, password = "benchmark pass", displayName = $"Bench {p}" })).EnsureSuccessStatusCode();
    var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password = "benchmark pass" });
    var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
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

// Op n of client c has op id "c{c}-{n}" and invocation id n; sentAt[c][n] is when it was sent (0: not yet).
var opsPerClient = (int)Math.Ceiling(rate * (seconds + 5)) + 1;
var sentAt = new long[clients][];
var loads = new ClientLoad[clients];
using var stop = new CancellationTokenSource();
var receivers = new List<Task>();
for (var c = 0; c < clients; c++)
{
    sentAt[c] = new long[opsPerClient];
    var room = rooms[c % projects];
    var socket = await HubSocket.ConnectAsync(new Uri(baseUrl, mode == "bare" ? "/hubs/bare" : "/hubs/studio"), room.Token, CancellationToken.None);
    var load = loads[c] = new ClientLoad(c, socket, room.Group, room.Track, sentAt);
    receivers.Add(Task.Run(() => socket.ReceiveAsync(load.Handle, stop.Token)));
    if (mode == "bare")
    {
        await socket.InvokeAsync(ClientLoad.JoinInvocation, "Join", json => json.WriteStringValue(room.Group), CancellationToken.None);
    }
    else
    {
        await socket.InvokeAsync(ClientLoad.JoinInvocation, "JoinProject", json =>
        {
            json.WriteStringValue(room.Group);
            json.WriteNullValue();
        }, CancellationToken.None);
    }

    await load.Joined.WaitAsync(TimeSpan.FromSeconds(30));
}

Console.WriteLine($"{mode}: {clients} clients in {projects} projects, {rate} ops/s each, {seconds} s");
// One loop sends every client's ops on one schedule: client c's k-th op is due at start + (k + c / clients) periods,
// the clients' sends spread evenly over each period, and the rate kept without drift. (A timer per client cost a
// thread-pool hop per op.) Ops sent in the first 3 s warm the path up and are not measured.
var period = Stopwatch.Frequency / rate;
var begin = Stopwatch.GetTimestamp();
var measureFrom = begin + 3 * Stopwatch.Frequency;
var end = measureFrom + (long)seconds * Stopwatch.Frequency;
for (long i = 0; ; i++)
{
    var (k, c) = Math.DivRem(i, clients);
    var due = begin + (long)((k + (double)c / clients) * period);
    if (due >= end)
    {
        break;
    }

    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
    if (wait > TimeSpan.FromMilliseconds(1))
    {
        await Task.Delay(wait);
    }

    var client = loads[c];
    var n = (int)k;
    var opId = $"c{c}-{n}";
    sentAt[c][n] = Stopwatch.GetTimestamp();
    if (mode == "bare")
    {
        await client.Socket.InvokeAsync(n, "Send", json =>
        {
            json.WriteStringValue(client.Group);
            json.WriteStringValue(opId);
            WriteTrackSet(json, client.Track, n);
        }, CancellationToken.None);
    }
    else
    {
        await client.Socket.InvokeAsync(n, "SubmitOps", json =>
        {
            json.WriteStringValue(client.Group);
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("clientId"u8, $"c{c}");
            json.WriteString("opId"u8, opId);
            json.WriteNumber("baseVersion"u8, 0);
            json.WriteString("kind"u8, "track.set");
            json.WritePropertyName("payload"u8);
            WriteTrackSet(json, client.Track, n);
            json.WriteEndObject();
            json.WriteEndArray();
        }, CancellationToken.None);
    }
}

await Task.Delay(1000); // the last ops' deliveries
stop.Cancel();
await Task.WhenAll(receivers);

static void WriteTrackSet(Utf8JsonWriter json, string track, int n)
{
    json.WriteStartObject();
    json.WriteString("trackId"u8, track);
    json.WriteNumber("volumeDb"u8, -(n % 40));
    json.WriteNumber("pan"u8, 0.0);
    json.WriteEndObject();
}

static string Percentiles(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    double At(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    return $"p50 {At(0.50):F2} ms  p90 {At(0.90):F2} ms  p99 {At(0.99):F2} ms  max {(sorted.Length == 0 ? double.NaN : sorted[^1]):F2} ms";
}

bool Measured(long at) => at >= measureFrom;
var latencies = loads.SelectMany(l => l.Deliveries).Where(d => Measured(d.SentAt)).Select(d => d.Milliseconds).ToList();
var acks = loads.SelectMany(l => l.Acks).Where(d => Measured(d.SentAt)).Select(d => d.Milliseconds).ToList();
if (samplesFile is not null)
{
    await File.AppendAllLinesAsync(samplesFile, latencies.Select(l => l.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)));
}

// Its own CPU: it shares the machine with the servers, so a load generator that costs more for one mode taxes that mode.
Console.WriteLine($"deliveries measured: {latencies.Count}{(mode == "bare" ? "" : $", ops acked: {loads.Sum(l => l.Applied)}, rejected: {loads.Sum(l => l.Rejected)}")}, " +
    $"load generator CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1} s");
Console.WriteLine(Percentiles(latencies));
if (mode != "bare")
{
    Console.WriteLine($"acks: {Percentiles(acks)}");
}

foreach (var load in loads)
{
    await load.Socket.DisposeAsync();
}

/// <summary>
/// One client's side of the load: it reads every message where it arrives and keeps, for each op of another client
/// that reaches it (only the first copy), the time from that op's send; for its own, the time to its ack.
/// </summary>
internal sealed class ClientLoad(int index, HubSocket socket, string group, string track, long[][] sentAt)
{
    public const long JoinInvocation = -1;

    private readonly HashSet<long> seen = [];
    private readonly TaskCompletionSource joined = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HubSocket Socket { get; } = socket;

    public string Group { get; } = group;

    public string Track { get; } = track;

    public Task Joined => joined.Task;

    public List<(long SentAt, double Milliseconds)> Deliveries { get; } = new(4096);

    public List<(long SentAt, double Milliseconds)> Acks { get; } = new(512);

    public int Applied { get; private set; }

    public int Rejected { get; private set; }

    /// <summary>
    /// Reads the fields it needs and skips the rest: "OpsApplied" (the op ids in its second argument), "Relayed" (the
    /// bare hub's: the op id is the first argument), and completions (the join's, and the acks of its own ops).
    /// </summary>
    public void Handle(ReadOnlySpan<byte> message)
    {
        var now = Stopwatch.GetTimestamp();
        var json = new Utf8JsonReader(message);
        json.Read();
        long type = 0, invocation = long.MinValue;
        string target = "", status = "applied"; // a completion without a result (the bare hub's Send) counts as applied
        string? error = null;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            if (json.ValueTextEquals("type"u8) && json.Read())
            {
                type = json.GetInt64();
            }
            else if (json.ValueTextEquals("invocationId"u8) && json.Read())
            {
                invocation = long.Parse(json.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (json.ValueTextEquals("target"u8) && json.Read())
            {
                target = json.GetString()!;
            }
            else if (json.ValueTextEquals("arguments"u8) && target is "OpsApplied" or "Relayed")
            {
                ReadDelivered(ref json, target == "Relayed", now);
            }
            else if (json.ValueTextEquals("result"u8))
            {
                status = FirstStatus(ref json) ?? status;
            }
            else if (json.ValueTextEquals("error"u8) && json.Read())
            {
                error = json.GetString();
            }
            else
            {
                json.Read();
                json.Skip();
            }
        }

        if (type != 3)
        {
            return;
        }

        if (invocation == JoinInvocation)
        {
            _ = error is null ? joined.TrySetResult() : joined.TrySetException(new InvalidOperationException($"Join refused: {error}"));
        }
        else if ((ulong)invocation < (ulong)sentAt[index].Length && sentAt[index][invocation] is var at and not 0)
        {
            Acks.Add((at, Stopwatch.GetElapsedTime(at, now).TotalMilliseconds));
            if (error is null && status == "applied")
            {
                Applied++;
            }
            else
            {
                Rejected++;
            }
        }
    }

    private void ReadDelivered(ref Utf8JsonReader json, bool relayed, long now)
    {
        var depth = json.CurrentDepth;
        json.Read(); // the arguments array
        while (json.Read() && json.CurrentDepth > depth)
        {
            var isOpId = relayed
                ? json.TokenType == JsonTokenType.String && json.CurrentDepth == depth + 1
                : json.TokenType == JsonTokenType.PropertyName && json.ValueTextEquals("opId"u8) && json.Read();
            if (isOpId)
            {
                Delivered(json.ValueSpan, now);
                if (relayed)
                {
                    json.Read();
                    json.Skip(); // the payload, and the end of the arguments
                }
            }
        }
    }

    /// <summary>An op id "c{client}-{n}" of another client's op, first copy only.</summary>
    private void Delivered(ReadOnlySpan<byte> opId, long now)
    {
        var dash = opId.IndexOf((byte)'-');
        if (opId.Length < 3 || opId[0] != 'c' || dash < 0
            || !System.Buffers.Text.Utf8Parser.TryParse(opId[1..dash], out int client, out _)
            || !System.Buffers.Text.Utf8Parser.TryParse(opId[(dash + 1)..], out int n, out _)
            || client == index || (uint)client >= sentAt.Length || (uint)n >= sentAt[client].Length
            || !seen.Add(((long)client << 32) | (uint)n))
        {
            return;
        }

        var at = sentAt[client][n];
        if (at != 0)
        {
            Deliveries.Add((at, Stopwatch.GetElapsedTime(at, now).TotalMilliseconds));
        }
    }

    /// <summary>The first "status" in a result: a SubmitOps result is {"acks":[{"opId":..,"status":"applied",..}],..}.</summary>
    private static string? FirstStatus(ref Utf8JsonReader json)
    {
        var depth = json.CurrentDepth;
        string? status = null;
        json.Read();
        if (json.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            while (json.Read() && json.CurrentDepth > depth)
            {
                if (status is null && json.TokenType == JsonTokenType.PropertyName && json.ValueTextEquals("status"u8) && json.Read())
                {
                    status = json.GetString();
                }
            }
        }

        return status;
    }
}

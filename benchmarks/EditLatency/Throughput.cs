using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Jacameno.Benchmarks;

/// <summary>
/// Sustained op throughput of one project: a project holding <c>clips</c> clips, several connections
/// submitting one op at a time as fast as acks come back (each ack means the op is in the durable log).
/// </summary>
public static class Throughput
{
    public static async Task RunAsync(Uri baseUrl, int clips, int submitters, int seconds)
    {
        using var http = new HttpClient { BaseAddress = baseUrl };
        var email = $"tp-{Guid.NewGuid():N}@example.org";
        (await http.PostAsJsonAsync("/api/auth/register", new { email, password = "benchmark pass", displayName = "Throughput" })).EnsureSuccessStatusCode();
        var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password = "benchmark pass" });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var project = (await (await http.PostAsJsonAsync("/api/projects", new { name = $"{clips} clips" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var track = Guid.NewGuid();
        await Submit(http, project, [new { clientId = "setup", opId = "track", baseVersion = 0, kind = "track.add", payload = (object)new { trackId = track, kind = "midi" } }]);
        for (var done = 0; done < clips; done += 100)
        {
            var batch = Enumerable.Range(done, Math.Min(100, clips - done))
                .Select(i => new { clientId = "setup", opId = $"clip-{i}", baseVersion = 0, kind = "clip.add", payload = (object)new { trackId = track, start = i * 48000L, length = 24000 } })
                .ToArray();
            await Submit(http, project, batch);
        }

        var connections = new List<HubConnection>();
        for (var i = 0; i < submitters; i++)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(baseUrl, "/hubs/studio"), o =>
                {
                    o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                })
                .Build();
            await connection.StartAsync();
            connections.Add(connection);
        }

        long acked = 0;
        var measuring = false;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 2));
        var clock = new Stopwatch();
        var tasks = connections.Select((connection, c) => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var result = await connection.InvokeAsync<JsonElement>("SubmitOps", Guid.Parse(project),
                    new[] { new { clientId = $"s{c}", opId = $"{n}", baseVersion = 0, kind = "track.set", payload = new { trackId = track, volumeDb = -(n % 40) } } });
                if (measuring && result.GetProperty("acks")[0].GetProperty("status").GetString() == "applied")
                {
                    Interlocked.Increment(ref acked);
                }
            }
        })).ToList();
        await Task.Delay(2000); // warm-up
        Interlocked.Exchange(ref acked, 0);
        measuring = true;
        clock.Start();
        await Task.WhenAll(tasks);
        Console.WriteLine($"clips {clips}: {acked / clock.Elapsed.TotalSeconds:F0} acked ops/s ({submitters} submitters, one op per call)");
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
    }

    private static async Task Submit(HttpClient http, string project, object[] ops) =>
        (await http.PostAsJsonAsync($"/api/projects/{project}/ops", new { ops })).EnsureSuccessStatusCode();
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jacameno.Benchmarks;

/// <summary>
/// Job-system overhead: N tiny jobs (offline lyrics of a two-line hook, a few milliseconds of work) submitted
/// with C concurrent requests by an admin (no quota), then waited for. Prints jobs/s from the first accept to
/// the last finish, and the queue wait (created → started) percentiles from the jobs' own timestamps.
/// </summary>
public static class JobOverhead
{
    public static async Task RunAsync(Uri baseUrl, int jobs, int concurrency)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(5) };
        // Sign-up answers alike whether or not the account exists; signing in after it works either way.
        await http.PostAsJsonAsync("/api/auth/register", new { email = "admin@example.org", password = "benchmark pass", displayName = "Bench admin" });
        var register = await http.PostAsJsonAsync("/api/auth/login", new { email = "admin@example.org", password = "benchmark pass" });

        var token = (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var request = new { theme = "night", structure = "hook", rhymeScheme = "AA", syllablesPerLine = 4, provider = "offline" };

        var clock = Stopwatch.StartNew();
        var ids = new List<string>();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= jobs)
            {
                var response = await http.PostAsJsonAsync("/api/ai/lyrics", request);
                response.EnsureSuccessStatusCode();
                var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
                lock (ids)
                {
                    ids.Add(id);
                }
            }
        }));
        var submitted = clock.Elapsed;

        var finished = new List<JsonElement>();
        foreach (var id in ids)
        {
            while (true)
            {
                var job = await http.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");
                if (job.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled")
                {
                    finished.Add(job);
                    break;
                }

                await Task.Delay(20);
            }
        }

        var failed = finished.Count(j => j.GetProperty("status").GetString() != "succeeded");
        var created = finished.Select(j => j.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        var ends = finished.Select(j => j.GetProperty("finishedAt").GetDateTimeOffset()).ToList();
        var waits = finished.Where(j => j.GetProperty("startedAt").ValueKind == JsonValueKind.String)
            .Select(j => (j.GetProperty("startedAt").GetDateTimeOffset() - j.GetProperty("createdAt").GetDateTimeOffset()).TotalMilliseconds)
            .Order().ToList();
        var span = (ends.Max() - created.Min()).TotalSeconds;
        double P(double q) => waits[(int)Math.Min(waits.Count - 1, Math.Floor(q * waits.Count))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"jobs {finished.Count} (failed {failed}), submitted in {submitted.TotalSeconds:F1} s, all done in {span:F1} s: {finished.Count / span:F0} jobs/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"queue wait p50 {P(0.5):F1} ms, p90 {P(0.9):F1} ms, p99 {P(0.99):F1} ms, max {waits[^1]:F1} ms"));
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Jacameno.Benchmarks;
using Jacameno.Marketplace;
using Jacameno.Storage.Catalog;
using Jacameno.Storage.Postgres;
using Jacameno.Storage.Sqlite;
using Jacameno.Streaming;

// Discovery and streaming speed (issue 6).
// Usage: Discovery seed <sqlite <db file> | postgres <connection string>> <releases> [writers]
//        Discovery search <base url> <requests> [concurrency 4]
//        Discovery stream <base url> <release id> [listeners 200] [seconds 15] [range bytes 65536]
//        Discovery seed-listings <sqlite <db file> | postgres <connection string>> <listings> [writers]
//        Discovery listing-search <base url> <requests> [concurrency 4]
//        Discovery orders <base url> <orders> [concurrent buyers 16]
static int Int(string[] args, int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

static string Percentiles(List<double> ms)
{
    ms.Sort();
    double At(double p) => ms[Math.Min(ms.Count - 1, (int)(p * ms.Count))];
    return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.50):F1} ms, p90 {At(0.90):F1} ms, p99 {At(0.99):F1} ms, max {ms[^1]:F1} ms ({ms.Count} requests)");
}

switch (args[0])
{
    case "seed":
        await SeedAsync(new StreamingCatalog(args[1] == "sqlite" ? new SqliteDialect(new SqliteDatabase(args[2])) : new PostgresDialect(PostgresDatabase.Create(args[2]))),
            Int(args, 3, 100_000), Int(args, 4, args[1] == "sqlite" ? 1 : 8));
        break;
    case "search":
        await SearchAsync(new Uri(args[1]), Int(args, 2, 2000), Int(args, 3, 4));
        break;
    case "seed-listings":
        await MarketLoad.SeedAsync(new MarketCatalog(args[1] == "sqlite" ? new SqliteDialect(new SqliteDatabase(args[2])) : new PostgresDialect(PostgresDatabase.Create(args[2]))),
            Int(args, 3, 50_000), Int(args, 4, args[1] == "sqlite" ? 1 : 8), Word);
        break;
    case "listing-search":
        await MarketLoad.SearchAsync(new Uri(args[1]), Int(args, 2, 2000), Int(args, 3, 4), Word, Percentiles);
        break;
    case "orders":
        await MarketLoad.OrdersAsync(new Uri(args[1]), Int(args, 2, 2000), Int(args, 3, 16), Percentiles);
        break;
    case "stream":
        await StreamAsync(new Uri(args[1]), args[2], Int(args, 3, 200), Int(args, 4, 15), Int(args, 5, 65536));
        break;
}

// Releases through the catalog's own write path, with words, genres, tags, tempi and keys drawn so that a
// search word (one of 1,000, six to a release) matches about 0.6 % of them and a genre 5 %.
static async Task SeedAsync(IStreamingCatalog catalog, int count, int writers)
{
    var clock = Stopwatch.StartNew();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
    {
        var random = new Random(w);
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var at = DateTimeOffset.UtcNow.AddMinutes(-i);
            await catalog.UpsertReleaseAsync(new ReleaseSummary(Guid.NewGuid(), Artists[i % Artists.Length].Id, Artists[i % Artists.Length].Name,
                $"{Word(random)} {Word(random)} {Word(random)}", $"A {Word(random)} track about {Word(random)} and {Word(random)}.",
                Genres[random.Next(Genres.Length)], [Tags[random.Next(Tags.Length)], Tags[random.Next(Tags.Length)]], null,
                60 + random.Next(120), Keys[random.Next(Keys.Length)], 120 + random.Next(180), false, false, true, at, at,
                random.Next(10_000), random.Next(500), random.Next(100), random.Next(50), random.NextDouble() * 10));
            if (i % 10_000 == 0)
            {
                Console.WriteLine($"{i} releases, {clock.Elapsed.TotalSeconds:F0} s");
            }
        }
    })));
    Console.WriteLine($"seeded {count} releases in {clock.Elapsed.TotalSeconds:F0} s");
}

// A ranked text query with two filters (genre and a tempo range), through the REST API, as a client sends it.
static async Task SearchAsync(Uri baseUrl, int requests, int concurrency)
{
    using var http = new HttpClient { BaseAddress = baseUrl };
    var random = new Random(7);
    string Query() => $"/api/releases?q={Word(random)}&genre={Uri.EscapeDataString(Genres[random.Next(Genres.Length)])}&bpmMin=90&bpmMax=150&first=20";
    async Task<List<double>> RunAsync(int n)
    {
        var times = new ConcurrentBag<double>();
        var queries = new ConcurrentQueue<string>(Enumerable.Range(0, n).Select(_ => Query()));
        var results = 0L;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (queries.TryDequeue(out var query))
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(query);
                var body = await response.Content.ReadAsStringAsync();
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                response.EnsureSuccessStatusCode();
                Interlocked.Add(ref results, JsonDocument.Parse(body).RootElement.GetProperty("items").GetArrayLength());
            }
        })));
        Console.WriteLine($"  {results / (double)n:F1} results a query on average");
        return [.. times];
    }

    await RunAsync(Math.Max(100, requests / 10));
    Console.WriteLine($"search (q + genre + bpm range, ranked, first=20), {concurrency} concurrent: {Percentiles(await RunAsync(requests))}");
}

// 200 listeners fetch a stream URL each, then read it as players do: one Range request after another.
static async Task StreamAsync(Uri baseUrl, string releaseId, int listeners, int seconds, int rangeBytes)
{
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = listeners * 2 };
    using var http = new HttpClient(handler) { BaseAddress = baseUrl };
    var firstBytes = new ConcurrentBag<double>();
    var ranges = new ConcurrentBag<double>();
    var bytes = 0L;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, listeners).Select(_ => Task.Run(async () =>
    {
        var started = Stopwatch.GetTimestamp();
        var streams = JsonDocument.Parse(await http.GetStringAsync($"/api/releases/{releaseId}/stream?format=mp3")).RootElement[0];
        var url = streams.GetProperty("url").GetString()!;
        var size = streams.GetProperty("size").GetInt64();
        using (var first = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead))
        await using (var body = await first.Content.ReadAsStreamAsync())
        {
            await body.ReadExactlyAsync(new byte[1]);
            firstBytes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var buffer = new byte[rangeBytes];
        long offset = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            var rangeStarted = Stopwatch.GetTimestamp();
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Range = new RangeHeaderValue(offset, Math.Min(size, offset + rangeBytes) - 1);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            int read, total = 0;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                total += read;
            }

            ranges.Add(Stopwatch.GetElapsedTime(rangeStarted).TotalMilliseconds);
            Interlocked.Add(ref bytes, total);
            offset = offset + rangeBytes >= size ? 0 : offset + rangeBytes;
        }
    })));
    Console.WriteLine($"stream start (stream URL + first byte of the signed URL), {listeners} listeners at once: {Percentiles([.. firstBytes])}");
    Console.WriteLine($"range reads of {rangeBytes / 1024} KiB: {Percentiles([.. ranges])}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"sustained: {bytes / clock.Elapsed.TotalSeconds / (1 << 20):F1} MiB/s, {ranges.Count / clock.Elapsed.TotalSeconds:F0} ranges/s = {bytes * 8 / clock.Elapsed.TotalSeconds / 256_000:F0} concurrent 256 kbit/s streams' worth"));
}

static string Word(Random random) => Words[random.Next(Words.Length)];

internal static partial class Program
{
    private static readonly string[] Syllables = ["ka", "lo", "mi", "nu", "ra", "se", "ti", "vo", "ze", "bu"];
    private static readonly string[] Words = [.. Enumerable.Range(0, 1000).Select(i => $"{Syllables[i % 10]}{Syllables[(i / 10) % 10]}{Syllables[i / 100]}")];
    private static readonly string[] Genres = [.. Enumerable.Range(0, 20).Select(i => $"genre {i}")];
    private static readonly string[] Tags = [.. Enumerable.Range(0, 50).Select(i => $"tag{i}")];
    private static readonly string[] Keys = ["C major", "A minor", "G major", "E minor", "D major", "B minor", "F major", "D minor"];
    private static readonly (Guid Id, string Name)[] Artists = [.. Enumerable.Range(0, 2000).Select(i => (Guid.NewGuid(), $"Artist {i}"))];
}

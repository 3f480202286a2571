using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Jacameno.Marketplace;

namespace Jacameno.Benchmarks;

/// <summary>Marketplace speed (issue 7): listing search at scale, and checkout throughput with the manual provider.</summary>
public static class MarketLoad
{
    private static readonly string[] Genres = [.. Enumerable.Range(0, 20).Select(i => $"genre {i}")];

    /// <summary>Listings through the catalog's own write path: words drawn like the release seeder's, prices 0-200 USD.</summary>
    public static async Task SeedAsync(IMarketCatalog catalog, int count, int writers, Func<Random, string> word)
    {
        var clock = Stopwatch.StartNew();
        var next = -1;
        var sellers = Enumerable.Range(0, 500).Select(i => (Id: Guid.NewGuid(), Name: $"Seller {i}")).ToArray();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(100 + w);
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var seller = sellers[i % sellers.Length];
                await catalog.UpsertListingAsync(new ListingSummary(Guid.NewGuid(), seller.Id, seller.Name, (ListingType)(i % 4),
                    $"{word(random)} {word(random)} {word(random)}", $"A {word(random)} {word(random)} pack.", Genres[random.Next(Genres.Length)],
                    [$"tag{random.Next(50)}"], 60 + random.Next(120), null, "USD", random.Next(20_000), ListingStatus.Published, true,
                    DateTimeOffset.UtcNow.AddMinutes(-i), random.Next(1000), random.NextDouble() * 5, random.Next(100)));
            }
        })));
        Console.WriteLine($"seeded {count} listings in {clock.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>A ranked text query with two filters (type and a price range), through the REST API.</summary>
    public static async Task SearchAsync(Uri baseUrl, int requests, int concurrency, Func<Random, string> word, Func<List<double>, string> percentiles)
    {
        using var http = new HttpClient { BaseAddress = baseUrl };
        var random = new Random(9);
        var types = new[] { "beat", "samplePack", "presetPack", "stems" };
        async Task<List<double>> RunAsync(int n)
        {
            var queries = new ConcurrentQueue<string>(Enumerable.Range(0, n)
                .Select(_ => $"/api/listings?q={word(random)}&type={types[random.Next(4)]}&currency=USD&priceMin=1000&priceMax=10000&first=20"));
            var times = new ConcurrentBag<double>();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                while (queries.TryDequeue(out var query))
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await http.GetAsync(query);
                    await response.Content.ReadAsStringAsync();
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    response.EnsureSuccessStatusCode();
                }
            })));
            return [.. times];
        }

        await RunAsync(Math.Max(100, requests / 10));
        Console.WriteLine($"listing search (q + type + price range, ranked, first=20), {concurrency} concurrent: {percentiles(await RunAsync(requests))}");
    }

    /// <summary>
    /// Checkouts with the manual provider: a buyer orders a tier, an admin confirms the payment, the license is
    /// granted (ledger, license record, the seller's notice). Orders/s and the latency of the whole checkout.
    /// </summary>
    public static async Task OrdersAsync(Uri baseUrl, int orders, int concurrency, Func<List<double>, string> percentiles)
    {
        using var http = new HttpClient { BaseAddress = baseUrl };
        async Task<string> RegisterAsync(string email)
        {
            await http.PostAsJsonAsync("/api/auth/register", new { email, password = "benchmark pass", displayName = email[..6] });
            var response = await http.PostAsJsonAsync("/api/auth/login", new { email, password = "benchmark pass" });

            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!;
        }

        HttpRequestMessage As(string token, HttpMethod method, string path, object? body = null)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }

        var admin = await RegisterAsync("admin@example.org");
        var seller = await RegisterAsync($"seller-{Guid.NewGuid():N}@example.org");
        var presets = new[] { new { name = "Bus", effects = new[] { new { type = "compressor", parameters = new Dictionary<string, double>() } } } };
        var created = await http.SendAsync(As(seller, HttpMethod.Post, "/api/listings", new
        {
            type = "presetPack", title = "Benchmark pack", presets,
            tiers = new[] { new { name = "Pack", price = 100, currency = "USD", formats = new[] { "wav" }, terms = new { } } },
        }));
        var listing = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("listing");
        var (listingId, tierId) = (listing.GetProperty("id").GetString(), listing.GetProperty("tiers")[0].GetProperty("id").GetString());
        (await http.SendAsync(As(seller, HttpMethod.Post, $"/api/listings/{listingId}/publish"))).EnsureSuccessStatusCode();
        var buyers = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => RegisterAsync($"buyer{i}-{Guid.NewGuid():N}@example.org")));

        async Task<(List<double> Times, double Seconds)> RunAsync(int n)
        {
            var left = n;
            var times = new ConcurrentBag<double>();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(buyers.Select(buyer => Task.Run(async () =>
            {
                while (Interlocked.Decrement(ref left) >= 0)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var order = await http.SendAsync(As(buyer, HttpMethod.Post, "/api/orders", new { listingId, tierId }));
                    var id = JsonDocument.Parse(await order.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
                    using var paid = await http.SendAsync(As(admin, HttpMethod.Post, $"/api/admin/orders/{id}/paid"));
                    var status = JsonDocument.Parse(await paid.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString();
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (status != "completed")
                    {
                        throw new InvalidOperationException($"order {id} is {status}");
                    }
                }
            })));
            return ([.. times], clock.Elapsed.TotalSeconds);
        }

        await RunAsync(Math.Max(50, orders / 10));
        var (measured, seconds) = await RunAsync(orders);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"checkouts (order + confirmed payment + grant), {concurrency} buyers at once: {orders / seconds:F0} orders/s; per checkout {percentiles(measured)}"));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>An artist's insights: plays with their listeners, countries and sources, likes, reposts, sales and downloads, by day.</summary>
public sealed class InsightsApiTests
{
    [Fact]
    public async Task PlaysLikesRepostsSalesAndDownloads_ShowInTheArtistsInsights_ByDayCountryAndSource()
    {
        await using var platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(),
            new Dictionary<string, string?> { ["Jacameno:Insights:CountryHeader"] = "X-Country" });
        var artist = await platform.RegisterAsync(displayName: "Insight Artist");
        using var artistClient = platform.CreateClient(artist.AccessToken);
        var title = "Counted " + StreamingApiTests.Word();
        var releaseId = (await StreamingApiTests.QuickReleaseAsync(artistClient, title)).GetProperty("id").GetString()!;

        // Two listeners, from two countries and two places in the app; the second one plays twice (one listener).
        var fan = await platform.RegisterAsync();
        using var fanClient = platform.CreateClient(fan.AccessToken);
        using var anonymous = platform.CreateClient();
        anonymous.DefaultRequestHeaders.Add("X-Country", "de");
        fanClient.DefaultRequestHeaders.Add("X-Country", "FR");
        await Task.WhenAll(ListenAsync(anonymous, releaseId, "search"), ListenAsync(fanClient, releaseId, "embed"));
        await Task.Delay(TimeSpan.FromSeconds(30)); // one listener counts once per 30 s
        Assert.True(await ListenAsync(fanClient, releaseId, "not-a-source"));
        Assert.Equal(HttpStatusCode.OK, (await fanClient.PutAsync($"/api/releases/{releaseId}/like", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fanClient.PutAsync($"/api/releases/{releaseId}/repost", null)).StatusCode);

        // A sale and a download of the artist's beat.
        var listing = await MarketplaceApiTests.PublishedBeatAsync(artistClient, "Insight Beat");
        var order = await (await fanClient.PostAsJsonAsync("/api/orders", new { listingId = listing.GetProperty("id").GetString(), tierId = MarketplaceApiTests.TierId(listing, "MP3 lease") })).BodyAsync();
        using var admin = platform.CreateClient(await platform.AdminTokenAsync());
        Assert.Equal("completed", (await (await admin.PostAsync($"/api/admin/orders/{order.GetProperty("id").GetString()}/paid", null)).BodyAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await fanClient.PostAsync($"/api/orders/{order.GetProperty("id").GetString()}/downloads", null)).StatusCode);

        // Events reach the insights one-way: wait for the last of them.
        JsonElement insights = default;
        for (var i = 0; i < 50; i++)
        {
            insights = await (await artistClient.GetAsync("/api/insights?days=28")).BodyAsync();
            if (insights.GetProperty("totals").GetProperty("downloads").GetInt64() == 1)
            {
                break;
            }

            await Task.Delay(100);
        }

        var totals = insights.GetProperty("totals");
        Assert.Equal((3L, 2L, 1L, 1L, 1L, 1L), (totals.GetProperty("plays").GetInt64(), totals.GetProperty("listeners").GetInt64(), totals.GetProperty("likes").GetInt64(),
            totals.GetProperty("reposts").GetInt64(), totals.GetProperty("sales").GetInt64(), totals.GetProperty("downloads").GetInt64()));
        var series = insights.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(28, series.Count);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), series[^1].GetProperty("day").GetString());
        Assert.Equal(3, series[^1].GetProperty("plays").GetInt64());
        var top = Assert.Single(insights.GetProperty("topReleases").EnumerateArray());
        Assert.Equal((title, 3L), (top.GetProperty("title").GetString(), top.GetProperty("plays").GetInt64()));
        Assert.Equal([("FR", 2L), ("DE", 1L)], Counts(insights, "topCountries"));
        Assert.Equal([("embed", 1L), ("direct", 1L), ("search", 1L)], Counts(insights, "sources").OrderBy(s => s.Key == "embed" ? 0 : 1).ThenBy(s => s.Key));
        var revenue = Assert.Single(insights.GetProperty("revenue").EnumerateArray());
        Assert.InRange(revenue.GetProperty("count").GetInt64(), 1, 2999); // the seller's share, after the platform's fee

        // GraphQL, other windows, bad input, other people.
        var graph = await GraphQLApiTests.QueryAsync(artistClient, "{ insights(days: 90) { days series { day plays } totals { plays listeners } topReleases { title plays } } }");
        var data = graph.GetProperty("data").GetProperty("insights");
        Assert.Equal((90, 3L), (data.GetProperty("series").GetArrayLength(), data.GetProperty("totals").GetProperty("plays").GetInt64()));
        Assert.Equal(365, (await (await artistClient.GetAsync("/api/insights?days=365")).BodyAsync()).GetProperty("series").GetArrayLength());
        var bad = await artistClient.GetAsync("/api/insights?days=7");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.BodyAsync()).GetProperty("errors").TryGetProperty("days", out _));
        Assert.Equal(0, (await (await fanClient.GetAsync("/api/insights")).BodyAsync()).GetProperty("totals").GetProperty("plays").GetInt64());
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.CreateClient().GetAsync("/api/insights")).StatusCode);
    }

    private static List<(string Key, long Count)> Counts(JsonElement insights, string name) =>
        [.. insights.GetProperty(name).EnumerateArray().Select(c => (c.GetProperty("key").GetString()!, c.GetProperty("count").GetInt64()))];

    /// <summary>Plays the 3 s release through from <paramref name="source"/>; whether the play counted.</summary>
    private static async Task<bool> ListenAsync(HttpClient listener, string releaseId, string source)
    {
        var started = await (await listener.PostAsJsonAsync($"/api/releases/{releaseId}/plays", new { source })).BodyAsync();
        await Task.Delay(3200);
        var reported = await (await listener.PostAsJsonAsync($"/api/releases/{releaseId}/plays", new { playId = started.GetProperty("playId").GetString(), source })).BodyAsync();
        return reported.GetProperty("counted").GetBoolean();
    }
}

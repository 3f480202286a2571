using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// Links that travel: server-rendered metadata on the web app's public pages, the sitemap and robots.txt, the
/// embeddable players and oEmbed, all read as an anonymous visitor (the tests build without the web app, so the
/// pages come from the built-in shell).
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class PublicPagesTests(SharedPlatform platform)
{
    /// <summary>The tests' Jacameno:PublicUrl (the default), which every absolute link starts with.</summary>
    internal const string Site = "http://localhost:5080";

    [Fact]
    public async Task ReleasePage_OfAPublicRelease_HasTitleArtworkCardsAndJsonLd_AndStartsTheApp()
    {
        var owner = await platform.RegisterAsync(displayName: "Page Artist");
        using var client = platform.CreateClient(owner.AccessToken);
        var word = StreamingApiTests.Word();
        var id = (await StreamingApiTests.QuickReleaseAsync(client, $"Sunrise {word}", new { description = "Warm synths\nat dawn.", genre = "ambient" }))
            .GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"/api/releases/{id}/artwork", StreamingApiTests.Image(StreamingApiTests.Bmp(640, 400), "image/bmp"))).StatusCode);

        using var anonymous = platform.CreateClient();
        var response = await anonymous.GetAsync($"/releases/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal($"Sunrise {word} by Page Artist", Title(page));
        Assert.Equal("Warm synths at dawn.", Meta(page, "description"));
        Assert.Equal("music.song", Meta(page, "og:type"));
        Assert.Equal($"Sunrise {word} by Page Artist", Meta(page, "og:title"));
        Assert.Equal($"{Site}/releases/{id}", Meta(page, "og:url"));
        Assert.Equal($"{Site}/releases/{id}", Link(page, "canonical"));
        Assert.Equal($"{Site}/api/releases/{id}/artwork?size=1000", Meta(page, "og:image"));
        Assert.Equal($"{Site}/users/{owner.User.Id}", Meta(page, "music:musician"));
        Assert.Equal("3", Meta(page, "music:duration"));
        Assert.Equal("player", Meta(page, "twitter:card"));
        Assert.Equal($"{Site}/embed/releases/{id}", Meta(page, "twitter:player"));
        Assert.Equal($"{Site}/oembed?url={Uri.EscapeDataString($"{Site}/releases/{id}")}&format=json", OEmbedLink(page));
        Assert.Null(Meta(page, "robots"));
        Assert.Contains("<div id=\"root\"></div>", page, StringComparison.Ordinal);

        var recording = JsonLd(page);
        Assert.Equal(("MusicRecording", $"Sunrise {word}", "Page Artist", "PT0H0M3S"), (recording.GetProperty("@type").GetString(), recording.GetProperty("name").GetString(),
            recording.GetProperty("byArtist").GetProperty("name").GetString(), recording.GetProperty("duration").GetString()));
        Assert.Equal($"{Site}/api/releases/{id}/artwork?size=1000", recording.GetProperty("image").GetString());
        Assert.DoesNotContain("null", JsonLdText(page), StringComparison.Ordinal);

        // The artwork the tags name is there for anyone (a preview fetches it anonymously).
        var artwork = await anonymous.GetAsync(new Uri(Meta(page, "og:image")!).PathAndQuery);
        Assert.Equal(("image/jpeg", HttpStatusCode.OK), (artwork.Content.Headers.ContentType?.MediaType, artwork.StatusCode));

        // HEAD answers as GET does (link checkers), and the page keeps the app's framing protection.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/releases/{id}"))).StatusCode);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task PrivateHiddenAndDeletedReleases_GiveThePlainApp_AndUnlistedOnesOpenByTheirLinkAsNoindex()
    {
        var owner = await platform.RegisterAsync(displayName: "Quiet Artist");
        using var client = platform.CreateClient(owner.AccessToken);
        using var anonymous = platform.CreateClient();
        var word = StreamingApiTests.Word();
        var hidden = (await StreamingApiTests.QuickReleaseAsync(client, $"Diary {word}", new { visibility = "private" })).GetProperty("id").GetString()!;
        var unlisted = await StreamingApiTests.QuickReleaseAsync(client, $"Demo {word}", new { visibility = "unlisted" });
        var (unlistedId, secret) = (unlisted.GetProperty("id").GetString()!, unlisted.GetProperty("secret").GetString()!);
        var deleted = (await StreamingApiTests.QuickReleaseAsync(client, $"Gone {word}")).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/releases/{deleted}")).StatusCode);
        var moderated = (await StreamingApiTests.QuickReleaseAsync(client, $"Taken down {word}")).GetProperty("id").GetString()!;
        using var admin = platform.CreateClient(await platform.AdminTokenAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/admin/moderation/actions",
            new { targetType = "release", targetId = moderated, action = "hide", reason = "Copyright claim under review" })).StatusCode);

        // The owner's own page is no different: the server renders for anonymous visitors, the app for the user.
        var nothing = await anonymous.GetStringAsync($"/releases/{Guid.NewGuid()}");
        foreach (var (who, path) in new[] { (anonymous, $"/releases/{hidden}"), (client, $"/releases/{hidden}"), (anonymous, $"/releases/{deleted}"), (anonymous, $"/releases/{moderated}"),
            (anonymous, $"/releases/{unlistedId}"), (anonymous, $"/releases/{unlistedId}?secret=wrong"), (anonymous, "/releases/not-a-release") })
        {
            var response = await who.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadAsStringAsync();
            Assert.Equal(nothing, page);
            Assert.Equal("Jacameno", Title(page));
            Assert.Equal("noindex", Meta(page, "robots"));
            Assert.DoesNotContain("og:", page, StringComparison.Ordinal);
            Assert.DoesNotContain(word, page, StringComparison.Ordinal);
            Assert.DoesNotContain("ld+json", page, StringComparison.Ordinal);
        }

        var byLink = await anonymous.GetStringAsync($"/releases/{unlistedId}?secret={secret}");
        Assert.Equal($"Demo {word} by Quiet Artist", Meta(byLink, "og:title"));
        Assert.Equal("noindex", Meta(byLink, "robots"));
        Assert.Equal($"{Site}/releases/{unlistedId}?secret={secret}", Link(byLink, "canonical"));
        Assert.Equal($"{Site}/embed/releases/{unlistedId}?secret={secret}", Meta(byLink, "twitter:player"));

        // Neither is in the sitemap; the embed and oEmbed follow the same rules.
        var sitemap = await anonymous.GetStringAsync("/sitemaps/releases.xml");
        Assert.DoesNotContain(hidden, sitemap, StringComparison.Ordinal);
        Assert.DoesNotContain(unlistedId, sitemap, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/embed/releases/{unlistedId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/embed/releases/{moderated}")).StatusCode);
        Assert.DoesNotContain(moderated, sitemap, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/embed/releases/{unlistedId}?secret={secret}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/oembed?url={Uri.EscapeDataString($"{Site}/releases/{unlistedId}")}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/oembed?url={Uri.EscapeDataString($"{Site}/releases/{unlistedId}?secret={secret}")}")).StatusCode);
    }

    [Fact]
    public async Task ArtistPlaylistAndListingPages_CarryTheirOwnMetadata()
    {
        var owner = await platform.RegisterAsync(displayName: "Playlist Keeper");
        using var client = platform.CreateClient(owner.AccessToken);
        using var anonymous = platform.CreateClient();
        var word = StreamingApiTests.Word();
        var release = (await StreamingApiTests.QuickReleaseAsync(client, $"Track {word}")).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync("/api/users/me", new { bio = "Keeps playlists." })).StatusCode);

        var artist = await anonymous.GetStringAsync($"/users/{owner.User.Id}");
        Assert.Equal(("Playlist Keeper", "profile", "Keeps playlists."), (Title(artist), Meta(artist, "og:type"), Meta(artist, "description")));
        var group = JsonLd(artist);
        Assert.Equal("MusicGroup", group.GetProperty("@type").GetString());
        Assert.Equal($"{Site}/releases/{release}", group.GetProperty("track")[0].GetProperty("url").GetString());

        var playlist = (await (await client.PostAsJsonAsync("/api/playlists", new { title = $"Mix {word}", isPublic = true })).BodyAsync()).GetProperty("id").GetString()!;
        await client.PostAsJsonAsync($"/api/playlists/{playlist}/items", new { releaseId = release });
        var page = await anonymous.GetStringAsync($"/playlists/{playlist}");
        Assert.Equal(($"Mix {word}, a playlist by Playlist Keeper", "music.playlist"), (Meta(page, "og:title"), Meta(page, "og:type")));
        Assert.Equal($"{Site}/releases/{release}", Meta(page, "music:song"));
        Assert.Equal($"{Site}/embed/playlists/{playlist}", Meta(page, "twitter:player"));
        Assert.NotNull(OEmbedLink(page));
        var list = JsonLd(page);
        Assert.Equal(("MusicPlaylist", 1), (list.GetProperty("@type").GetString(), list.GetProperty("numTracks").GetInt32()));

        // The sitemap names the public release, its artist and the artist's public playlist.
        var index = await anonymous.GetStringAsync("/sitemap.xml");
        Assert.Contains($"<loc>{Site}/sitemaps/releases.xml</loc>", index, StringComparison.Ordinal);
        Assert.Contains($"<loc>{Site}/sitemaps/listings.xml</loc>", index, StringComparison.Ordinal);
        var sitemap = await anonymous.GetAsync("/sitemaps/releases.xml");
        Assert.Equal("application/xml", sitemap.Content.Headers.ContentType?.MediaType);
        var urls = await sitemap.Content.ReadAsStringAsync();
        foreach (var path in new[] { $"/releases/{release}", $"/users/{owner.User.Id}", $"/playlists/{playlist}" })
        {
            Assert.Contains($"<loc>{Site}{path}</loc>", urls, StringComparison.Ordinal);
        }

        // A private playlist is nothing to anyone else.
        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync($"/api/playlists/{playlist}", new { isPublic = false })).StatusCode);
        Assert.DoesNotContain("og:", await anonymous.GetStringAsync($"/playlists/{playlist}"), StringComparison.Ordinal);
        Assert.DoesNotContain(playlist, await anonymous.GetStringAsync("/sitemaps/releases.xml"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/embed/playlists/{playlist}")).StatusCode);

        var listing = await MarketplaceApiTests.PublishedBeatAsync(client, $"Beat {word}");
        var listingId = listing.GetProperty("id").GetString()!;
        var product = await anonymous.GetStringAsync($"/market/listings/{listingId}");
        Assert.Equal(("product", "29.99", "USD"), (Meta(product, "og:type"), Meta(product, "product:price:amount"), Meta(product, "product:price:currency")));
        var ld = JsonLd(product);
        Assert.Equal(("Product", "29.99", "999.00"), (ld.GetProperty("@type").GetString(), ld.GetProperty("offers").GetProperty("lowPrice").GetString(),
            ld.GetProperty("offers").GetProperty("highPrice").GetString()));
        Assert.Contains($"<loc>{Site}/market/listings/{listingId}</loc>", await anonymous.GetStringAsync("/sitemaps/listings.xml"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RobotsTxt_AllowsThePages_KeepsOutTheApi_AndNamesTheSitemap()
    {
        using var anonymous = platform.CreateClient();
        var response = await anonymous.GetAsync("/robots.txt");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var robots = (await response.Content.ReadAsStringAsync()).Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("Allow: /", robots);
        Assert.Contains("Disallow: /api/", robots);
        Assert.Contains("Allow: /api/releases/*/artwork", robots);
        Assert.Contains($"Sitemap: {Site}/sitemap.xml", robots);
        Assert.DoesNotContain(robots, l => l.StartsWith("Disallow: /releases", StringComparison.Ordinal) || l.StartsWith("Disallow: /embed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Embed_IsAFramableSelfContainedPlayer_ThatStreamsAndCountsPlaysLikeTheApp()
    {
        var owner = await platform.RegisterAsync(displayName: "Embed Artist");
        using var client = platform.CreateClient(owner.AccessToken);
        var word = StreamingApiTests.Word();
        var id = (await StreamingApiTests.QuickReleaseAsync(client, $"Framed {word}")).GetProperty("id").GetString()!;

        using var anonymous = platform.CreateClient();
        var response = await anonymous.GetAsync($"/embed/releases/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var embed = await response.Content.ReadAsStringAsync();
        Assert.False(response.Headers.Contains("X-Frame-Options"));
        Assert.Equal("noindex", response.Headers.GetValues("X-Robots-Tag").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors *", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        var nonce = Regex.Match(csp, "script-src 'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"<script nonce=\"{nonce}\">", embed, StringComparison.Ordinal);
        Assert.Contains($"Framed {word}", embed, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(embed, "<script nonce="));

        // The player's data: the same stream, peaks and plays routes the web app's player uses.
        var data = JsonDocument.Parse(Regex.Match(embed, "<script type=\"application/json\" id=\"embed-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value)
            .RootElement.GetProperty("tracks")[0];
        Assert.Equal($"/api/releases/{id}/stream", data.GetProperty("stream").GetString());
        Assert.Equal($"/api/releases/{id}/plays", data.GetProperty("plays").GetString());
        Assert.StartsWith($"/api/releases/{id}/peaks?format=json&samplesPerPixel=", data.GetProperty("peaks").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(data.GetProperty("peaks").GetString())).StatusCode);

        // From a sandboxed frame the origin is opaque ("null"): those routes answer it without credentials.
        using var stream = new HttpRequestMessage(HttpMethod.Get, data.GetProperty("stream").GetString());
        stream.Headers.Add("Origin", "null");
        var streams = await anonymous.SendAsync(stream);
        Assert.Equal(HttpStatusCode.OK, streams.StatusCode);
        Assert.Equal("*", streams.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using var preflight = new HttpRequestMessage(HttpMethod.Options, data.GetProperty("plays").GetString());
        preflight.Headers.Add("Origin", "null");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        var allowed = await anonymous.SendAsync(preflight);
        Assert.True(allowed.IsSuccessStatusCode, allowed.StatusCode.ToString());
        Assert.Equal("*", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using var play = new HttpRequestMessage(HttpMethod.Post, data.GetProperty("plays").GetString()) { Content = JsonContent.Create(new { }) };
        play.Headers.Add("Origin", "null");
        var started = await (await anonymous.SendAsync(play)).BodyAsync();
        Assert.Equal(3, started.GetProperty("countAfterSeconds").GetDouble(), 0.5);
        // Other API routes stay same-origin.
        using var other = new HttpRequestMessage(HttpMethod.Get, $"/api/releases/{id}");
        other.Headers.Add("Origin", "null");
        Assert.False((await anonymous.SendAsync(other)).Headers.Contains("Access-Control-Allow-Origin"));

        var playlist = (await (await client.PostAsJsonAsync("/api/playlists", new { title = $"Set {word}", isPublic = true })).BodyAsync()).GetProperty("id").GetString()!;
        await client.PostAsJsonAsync($"/api/playlists/{playlist}/items", new { releaseId = id });
        var list = await anonymous.GetStringAsync($"/embed/playlists/{playlist}");
        Assert.Contains($"/api/releases/{id}/stream", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OEmbed_AnswersARichPlayer_ForReleaseAndPlaylistPages_InJsonOnly()
    {
        var owner = await platform.RegisterAsync(displayName: "Oembed Artist");
        using var client = platform.CreateClient(owner.AccessToken);
        var word = StreamingApiTests.Word();
        var id = (await StreamingApiTests.QuickReleaseAsync(client, $"Shared {word}")).GetProperty("id").GetString()!;
        await client.PutAsync($"/api/releases/{id}/artwork", StreamingApiTests.Image(StreamingApiTests.Bmp(640, 400), "image/bmp"));

        using var anonymous = platform.CreateClient();
        var url = Uri.EscapeDataString($"{Site}/releases/{id}");
        var response = await anonymous.GetAsync($"/oembed?url={url}&format=json");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var answer = await response.BodyAsync();
        Assert.Equal(("1.0", "rich", $"Shared {word}", "Oembed Artist", "Jacameno"), (answer.GetProperty("version").GetString(), answer.GetProperty("type").GetString(),
            answer.GetProperty("title").GetString(), answer.GetProperty("author_name").GetString(), answer.GetProperty("provider_name").GetString()));
        Assert.Equal(($"{Site}/users/{owner.User.Id}", $"{Site}/", $"{Site}/api/releases/{id}/artwork?size=300", 300), (answer.GetProperty("author_url").GetString(),
            answer.GetProperty("provider_url").GetString(), answer.GetProperty("thumbnail_url").GetString(), answer.GetProperty("thumbnail_width").GetInt32()));
        Assert.Equal((560, 180), (answer.GetProperty("width").GetInt32(), answer.GetProperty("height").GetInt32()));
        var html = answer.GetProperty("html").GetString()!;
        Assert.StartsWith($"<iframe src=\"{Site}/embed/releases/{id}\" width=\"560\" height=\"180\"", html, StringComparison.Ordinal);
        Assert.Contains("sandbox=\"allow-scripts", html, StringComparison.Ordinal);

        var small = await (await anonymous.GetAsync($"/oembed?url={url}&maxwidth=300&maxheight=100")).BodyAsync();
        Assert.Equal((300, 100), (small.GetProperty("width").GetInt32(), small.GetProperty("height").GetInt32()));
        Assert.Contains("width=\"300\" height=\"100\"", small.GetProperty("html").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotImplemented, (await anonymous.GetAsync($"/oembed?url={url}&format=xml")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync("/oembed")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync($"/oembed?url={url}&maxwidth=wide")).StatusCode);

        var playlist = (await (await client.PostAsJsonAsync("/api/playlists", new { title = $"Crate {word}", isPublic = true })).BodyAsync()).GetProperty("id").GetString()!;
        await client.PostAsJsonAsync($"/api/playlists/{playlist}/items", new { releaseId = id });
        var list = await (await anonymous.GetAsync($"/oembed?url={Uri.EscapeDataString($"{Site}/playlists/{playlist}")}")).BodyAsync();
        Assert.Equal(($"Crate {word}", "Oembed Artist", 400), (list.GetProperty("title").GetString(), list.GetProperty("author_name").GetString(), list.GetProperty("height").GetInt32()));
        Assert.Contains($"{Site}/embed/playlists/{playlist}", list.GetProperty("html").GetString(), StringComparison.Ordinal);
    }

    internal static string? Title(string page) => Regex.Match(page, "<title>(.*?)</title>", RegexOptions.Singleline) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    /// <summary>The content of the first meta tag with that name or property.</summary>
    internal static string? Meta(string page, string name) =>
        Regex.Match(page, $"<meta (?:name|property)=\"{Regex.Escape(name)}\" content=\"([^\"]*)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    internal static string? Link(string page, string rel) =>
        Regex.Match(page, $"<link rel=\"{rel}\" href=\"([^\"]*)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    internal static string? OEmbedLink(string page) =>
        Regex.Match(page, "<link rel=\"alternate\" type=\"application/json\\+oembed\" href=\"([^\"]*)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    internal static JsonElement JsonLd(string page) => JsonDocument.Parse(JsonLdText(page)).RootElement;

    private static string JsonLdText(string page) =>
        Regex.Match(page, "<script type=\"application/ld\\+json\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
}

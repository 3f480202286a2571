using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>
/// The public pages, embeds and oEmbed as surfaces: user text in HTML, JSON-LD and an iframe snippet; oEmbed as a
/// way to make the site describe other sites' URLs; ids as a way to reach what is not public.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class PublicPageAttacks(SharedPlatform platform)
{
    private const string Site = PublicPagesTests.Site;

    [Fact]
    public async Task ScriptInATitleOrDescription_StaysText_InThePage_ItsJsonLd_TheEmbed_AndOEmbed()
    {
        var owner = await platform.RegisterAsync(displayName: "</title><script>alert('name')</script>");
        using var client = platform.CreateClient(owner.AccessToken);
        const string title = "</title><script>alert(1)</script>\"'&<b>";
        const string description = "</script><script>alert(2)</script><!--";
        var id = (await StreamingApiTests.QuickReleaseAsync(client, title, new { description })).GetProperty("id").GetString()!;
        var playlist = (await (await client.PostAsJsonAsync("/api/playlists", new { title = "</script><img src=x onerror=alert(3)>", isPublic = true })).BodyAsync())
            .GetProperty("id").GetString()!;
        await client.PostAsJsonAsync($"/api/playlists/{playlist}/items", new { releaseId = id });

        using var anonymous = platform.CreateClient();
        var page = await anonymous.GetStringAsync($"/releases/{id}");
        var embed = await anonymous.GetStringAsync($"/embed/releases/{id}");
        var list = await anonymous.GetStringAsync($"/embed/playlists/{playlist}");
        var playlistPage = await anonymous.GetStringAsync($"/playlists/{playlist}");
        var artistPage = await anonymous.GetStringAsync($"/users/{owner.User.Id}");
        foreach (var html in new[] { page, embed, list, playlistPage, artistPage })
        {
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
            // Every script element the page has is one of ours: the JSON-LD, the embed's data and nonce'd script, or (when the
            // web app is built) the app's own bundle.
            Assert.All(Regex.Matches(html, "<script[^>]*>").Select(m => m.Value),
                tag => Assert.Matches("^<script (type=\"application/(ld\\+json|json)\"( id=\"embed-data\")?|nonce=\"[^\"]+\"|type=\"module\" crossorigin src=\"/assets/[-\\w.]+\\.js\")>$", tag));
            Assert.Equal(Regex.Count(html, "<script"), Regex.Count(html, "</script>"));
        }

        Assert.Equal($"{title} by </title><script>alert('name')</script>", PublicPagesTests.Title(page));
        Assert.Equal(title, PublicPagesTests.JsonLd(page).GetProperty("name").GetString());
        Assert.Equal(description, PublicPagesTests.JsonLd(page).GetProperty("description").GetString());
        Assert.Equal(title, JsonDocument.Parse(Regex.Match(embed, "id=\"embed-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value)
            .RootElement.GetProperty("tracks")[0].GetProperty("title").GetString());

        var oembed = await (await anonymous.GetAsync($"/oembed?url={Uri.EscapeDataString($"{Site}/releases/{id}")}")).BodyAsync();
        Assert.Equal(title, oembed.GetProperty("title").GetString());
        var iframe = oembed.GetProperty("html").GetString()!;
        Assert.DoesNotContain("<script", iframe, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(iframe, "<iframe "));
        Assert.Contains("title=\"&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;&amp;&lt;b&gt;\"", iframe, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OEmbed_OfAnythingButAPublicPageOfThisSite_IsTheSame404()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var word = StreamingApiTests.Word();
        var id = (await StreamingApiTests.QuickReleaseAsync(client, $"Public {word}")).GetProperty("id").GetString()!;
        var hidden = (await StreamingApiTests.QuickReleaseAsync(client, $"Private {word}", new { visibility = "private" })).GetProperty("id").GetString()!;

        using var anonymous = platform.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/oembed?url={Uri.EscapeDataString($"{Site}/releases/{id}")}")).StatusCode);
        string[] urls =
        [
            $"https://evil.example/releases/{id}",
            $"http://evil.example:5080/releases/{id}",
            $"http://localhost:5080.evil.example/releases/{id}",
            $"http://localhost:5080@evil.example/releases/{id}",
            $"http://evil.example@localhost:5080/releases/{id}",
            $"http://localhost/releases/{id}",
            $"javascript:alert(1)//localhost:5080/releases/{id}",
            $"javascript://localhost:5080/releases/{id}%0Aalert(1)",
            $"data:text/html,<script>alert(1)</script>/releases/{id}",
            $"ftp://localhost:5080/releases/{id}",
            $"//localhost:5080/releases/{id}",
            $"/releases/{id}",
            $"{Site}/releases/{hidden}",
            $"{Site}/releases/{Guid.NewGuid()}",
            $"{Site}/releases/not-a-guid",
            $"{Site}/releases/{id}/../../users/{owner.User.Id}",
            $"{Site}/releases/..%2F..%2Fapi%2Fusers%2Fme",
            $"{Site}/releases/{id}/comments",
            $"{Site}/releases//{id}",
            $"{Site}/users/{owner.User.Id}",
            $"{Site}/api/releases/{id}",
            $"{Site}/embed/releases/{id}",
            $"{Site}/releases/{id}?x={new string('a', 5000)}",
        ];
        foreach (var url in urls)
        {
            var response = await anonymous.GetAsync($"/oembed?url={Uri.EscapeDataString(url)}&format=json");
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain(word, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PrivateReleases_AndIdsThatAreNoIds_LookLikeNothing_OnEveryPageAndEmbed()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var word = StreamingApiTests.Word();
        var hidden = (await StreamingApiTests.QuickReleaseAsync(client, $"Secret {word}", new { visibility = "private" })).GetProperty("id").GetString()!;
        var privateList = (await (await client.PostAsJsonAsync("/api/playlists", new { title = $"Mine {word}", isPublic = false })).BodyAsync()).GetProperty("id").GetString()!;

        using var anonymous = platform.CreateClient();
        string[] ids = [hidden, Guid.NewGuid().ToString(), "not-a-guid", "..%2F..%2Fapi%2Fusers%2Fme", "1' OR '1'='1", new string('9', 2000)];
        var plain = await anonymous.GetStringAsync($"/releases/{Guid.NewGuid()}");
        foreach (var kind in new[] { "releases", "playlists", "users", "market/listings" })
        {
            foreach (var id in ids.Append(privateList))
            {
                var page = await anonymous.GetAsync($"/{kind}/{id}");
                Assert.True(page.StatusCode == HttpStatusCode.OK, $"/{kind}/{id}: {page.StatusCode}");
                Assert.Equal(plain, await page.Content.ReadAsStringAsync());
            }
        }

        foreach (var kind in new[] { "releases", "playlists" })
        {
            foreach (var id in ids.Append(privateList))
            {
                var embed = await anonymous.GetAsync($"/embed/{kind}/{id}");
                Assert.True(embed.StatusCode == HttpStatusCode.NotFound, $"/embed/{kind}/{id}: {embed.StatusCode}");
                var text = await embed.Content.ReadAsStringAsync();
                Assert.DoesNotContain(word, text, StringComparison.Ordinal);
                Assert.DoesNotContain("/api/", text, StringComparison.Ordinal);
            }
        }

        // The stream and waveform behind an embed are as closed as the page.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/releases/{hidden}/stream")).StatusCode);
        Assert.DoesNotContain(hidden, await anonymous.GetStringAsync("/sitemaps/releases.xml"), StringComparison.Ordinal);
    }
}

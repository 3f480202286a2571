using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>
/// Uploads as a way in: files that are pages (stored XSS on the app's origin), files that make ffmpeg read other
/// files (HLS playlists, concat lists), and the headers every file is served back with.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class UploadAttacks(SharedPlatform platform)
{
    private static readonly byte[] Page = Encoding.UTF8.GetBytes("<html><body><script>fetch('/api/users/me',{headers:{authorization:'Bearer '+localStorage.token}})</script></body></html>");

    [Fact]
    public async Task AWavWithAPageInside_UploadedAsHtml_IsStoredAndServedAsAudio_AndOnlyAsADownload()
    {
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var polyglot = AssetsApiTests.StereoSineWav(-18, 3).Concat(Page).ToArray();
        var id = (await AssetsApiTests.UploadAsync(client, polyglot, "p.html", "text/html")).GetProperty("id").GetString()!;
        Assert.Equal("ready", (await AssetsApiTests.ProcessedAsync(client, id)).GetProperty("status").GetString());

        var audio = await client.GetAsync($"/api/assets/{id}/audio");
        AssertServedAsDownload(audio, "audio/wav");

        // Multipart with the part typed as HTML: the same.
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(polyglot);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/html");
        form.Add(part, "file", "x.html");
        var multipart = (await (await client.PostAsync("/api/assets", form)).BodyAsync()).GetProperty("id").GetString()!;
        await AssetsApiTests.ProcessedAsync(client, multipart);
        AssertServedAsDownload(await client.GetAsync($"/api/assets/{multipart}/audio"), "audio/wav");

        // Published, its original keeps what it is, not what it was called.
        var release = await StreamingApiTests.PublishAsync(client, new { assetId = id, title = $"Polyglot {StreamingApiTests.Word()}" });
        var original = (await (await client.GetAsync($"/api/releases/{release.GetProperty("id").GetString()}/stream?format=original")).BodyAsync())[0];
        Assert.Equal("audio/wav", original.GetProperty("contentType").GetString());
        var url = original.GetProperty("url").GetString()!;
        Assert.Contains("/original.wav?", url, StringComparison.Ordinal);
        AssertServedAsDownload(await platform.CreateClient().GetAsync(url), "audio/wav");
    }

    [Fact]
    public async Task APlaylistOrConcatList_NamingAnotherUsersFile_IsRefused_AndReadsNothing()
    {
        // The victim's master as the store keeps a release's original: named with its extension, which ffmpeg's
        // playlist reader takes as a media segment (an upload's own "original" has none, and is refused by it).
        using var victim = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var release = Guid.Parse((await StreamingApiTests.QuickReleaseAsync(victim, $"Master {StreamingApiTests.Word()}")).GetProperty("id").GetString()!);
        var path = Directory.GetFiles(Path.Combine(platform.DataDirectory, "blobs", "objects", "releases", release.ToString("N")), "original.*", SearchOption.AllDirectories).Single(f => !f.EndsWith(".content-type", StringComparison.Ordinal));

        using var attacker = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var hostile = new (string Name, string Text)[]
        {
            ("list.m3u8", $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nfile://{path}\n#EXTINF:10.0,\n{path}\n#EXT-X-ENDLIST\n"),
            ("list.ffconcat", $"ffconcat version 1.0\nfile '{path}'\n"),
            // A path relative to the scratch folder passes the concat reader's own "safe" check (no "/", no "..");
            // the data folder sits under it here, as it may on any machine. The duration makes it probe as 3 s of audio.
            ("relative.ffconcat", $"ffconcat version 1.0\nfile '{Path.GetRelativePath(Path.GetTempPath(), path)}'\nduration 3.0\n"),
            // An ID3 tag in front: ffmpeg's own guessing skips the tag and would find the playlist behind it.
            ("tagged.mp3", "ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000" + $"#EXTM3U\n#EXTINF:10.0,\n{path}\n#EXT-X-ENDLIST\n"),
            ("concat.wav", $"concat:{path}|{path}"),
        };
        foreach (var (name, text) in hostile)
        {
            var id = (await AssetsApiTests.UploadAsync(attacker, Encoding.Latin1.GetBytes(text), name, "audio/mpeg")).GetProperty("id").GetString()!;
            var asset = await AssetsApiTests.ProcessedAsync(attacker, id);
            Assert.True(asset.GetProperty("status").GetString() == "failed", $"{name}: {asset.GetRawText()}");
            Assert.False(string.IsNullOrWhiteSpace(asset.GetProperty("error").GetString()));
            Assert.Equal(JsonValueKind.Null, asset.GetProperty("durationSeconds").ValueKind);
            Assert.Equal(HttpStatusCode.Conflict, (await attacker.GetAsync($"/api/assets/{id}/audio")).StatusCode);
        }

        // Artwork is read by ffmpeg too.
        var cover = await StreamingApiTests.QuickReleaseAsync(attacker, $"Cover {StreamingApiTests.Word()}");
        var artwork = new ByteArrayContent(Encoding.UTF8.GetBytes(hostile[0].Text));
        artwork.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var refused = await attacker.PutAsync($"/api/releases/{cover.GetProperty("id").GetString()}/artwork", artwork);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("not an image", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlobUrls_ServeNoPage_WhateverWasStored()
    {
        var blobs = Path.Combine(platform.DataDirectory, "blobs", "objects", "legacy");
        Directory.CreateDirectory(blobs);
        // An object stored by an older version with the client's type.
        await File.WriteAllBytesAsync(Path.Combine(blobs, "page"), Page);
        await File.WriteAllTextAsync(Path.Combine(blobs, "page.content-type"), "text/html");
        var store = (Jacameno.Storage.Blobs.IBlobStore)platform.Services.GetService(typeof(Jacameno.Storage.Blobs.IBlobStore))!;
        var url = await store.GetDownloadUrlAsync("legacy/page", TimeSpan.FromMinutes(1));
        AssertServedAsDownload(await platform.CreateClient().GetAsync(url), "application/octet-stream");
    }

    internal static void AssertServedAsDownload(HttpResponseMessage response, string contentType)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("sandbox", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>
/// The tus upload endpoints as a way in: other users' upload ids, lengths and offsets that are no numbers or lie,
/// bodies past the announced length, metadata that tries to be a path, a header or another purpose, and two PATCHes
/// racing for one offset.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class ResumableUploadAttacks(SharedPlatform platform)
{
    private async Task<TusClient> ClientAsync() => new(platform.CreateClient((await platform.RegisterAsync()).AccessToken));

    private string[] UploadBlobs(string location)
    {
        var folder = Path.Combine(platform.DataDirectory, "blobs", "objects", "uploads", Guid.Parse(location.Split('/')[^1]).ToString("N"));
        return Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
    }

    private static async Task<int> OpenUploadsAsync(TusClient tus) =>
        (await GraphQLApiTests.QueryAsync(tus.Http, "{ uploads { id } }")).GetProperty("data").GetProperty("uploads").GetArrayLength();

    [Fact]
    public async Task AnotherUsersUpload_IsNotFound_OnEveryMethod_AndOverGraphQL()
    {
        var owner = await ClientAsync();
        var url = await owner.CreatedAsync(5000, TusClient.Metadata(("filename", "mine.wav")));
        Assert.Equal(HttpStatusCode.NoContent, (await owner.PatchAsync(url, 0, new byte[1000])).StatusCode);
        var attacker = await ClientAsync();
        var id = url.Split('/')[^1];

        foreach (var target in new[] { url, $"/api/uploads/{Guid.NewGuid()}" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await attacker.HeadAsync(target)).StatusCode);
            var patch = await attacker.PatchAsync(target, 1000, new byte[1000]);
            Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
            Assert.Equal("The upload was not found.", (await patch.BodyAsync()).GetProperty("detail").GetString());
            using var delete = TusClient.Request(HttpMethod.Delete, target);
            Assert.Equal(HttpStatusCode.NotFound, (await attacker.Http.SendAsync(delete)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await attacker.Http.GetAsync(target)).StatusCode);
        }

        var graph = await GraphQLApiTests.QueryAsync(attacker.Http, "query($id: ID!) { upload(id: $id) { offset } }", new { id });
        Assert.Equal("NOT_FOUND", graph.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        var cancel = await GraphQLApiTests.QueryAsync(attacker.Http, "mutation($id: ID!) { cancelUpload(id: $id) }", new { id });
        Assert.Equal("NOT_FOUND", cancel.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.CreateClient().SendAsync(TusClient.Request(HttpMethod.Head, url))).StatusCode);

        // The owner's upload is as it was.
        Assert.Equal(1000, await owner.OffsetAsync(url));
        Assert.NotEmpty(UploadBlobs(url));
    }

    [Fact]
    public async Task UploadLengths_HugeNegativeOrNoNumbers_AreRefused_AndCreateNothing()
    {
        var tus = await ClientAsync();
        var metadata = TusClient.Metadata(("filename", "x.wav"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await tus.CreateAsync(long.MaxValue, metadata)).StatusCode);
        foreach (var length in new[] { "99999999999999999999", "-1", "1e6", "0x10", "+5", " 7", "1.5", "", "٣", "0" })
        {
            using var request = TusClient.Request(HttpMethod.Post, "/api/uploads");
            request.Headers.TryAddWithoutValidation("Upload-Length", length);
            request.Headers.Add("Upload-Metadata", metadata);
            var response = await tus.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Upload-Length '{length}': {response.StatusCode}");
        }

        using var missing = TusClient.Request(HttpMethod.Post, "/api/uploads");
        Assert.Equal(HttpStatusCode.BadRequest, (await tus.Http.SendAsync(missing)).StatusCode);
        // A deferred length is 1 and nothing else, and never beside Upload-Length.
        foreach (var (defer, length) in new[] { ("0", null), ("2", null), ("true", null), ("01", null), ("1", "100") })
        {
            using var deferred = TusClient.Request(HttpMethod.Post, "/api/uploads");
            deferred.Headers.TryAddWithoutValidation("Upload-Defer-Length", defer);
            if (length is not null)
            {
                deferred.Headers.Add("Upload-Length", length);
            }

            var refused = await tus.Http.SendAsync(deferred);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"Upload-Defer-Length '{defer}': {refused.StatusCode}");
            Assert.Contains("Upload-Defer-Length", (await refused.BodyAsync()).GetProperty("errors").EnumerateObject().Single().Name);
        }

        Assert.Equal(0, await OpenUploadsAsync(tus));
        // Declared lengths follow Upload-Length's rules.
        var open = await tus.CreatedDeferredAsync(metadata);
        foreach (var length in new[] { "-1", "1e6", "0x10", "7 8", "abc", "99999999999999999999" })
        {
            using var request = TusClient.Request(HttpMethod.Patch, open);
            request.Headers.Add("Upload-Offset", "0");
            request.Headers.TryAddWithoutValidation("Upload-Length", length);
            request.Content = TusClient.Body([]);
            var response = await tus.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"declared Upload-Length '{length}': {response.StatusCode}");
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await tus.PatchDeclaringAsync(open, 0, Array.Empty<byte>(), 0)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await tus.PatchDeclaringAsync(open, 0, Array.Empty<byte>(), long.MaxValue)).StatusCode);
    }

    [Fact]
    public async Task Offsets_NegativeMalformedOrElsewhere_AreRefused_AndMoveNothing()
    {
        var tus = await ClientAsync();
        var url = await tus.CreatedAsync(5000, TusClient.Metadata(("filename", "x.wav")));
        Assert.Equal(HttpStatusCode.NoContent, (await tus.PatchAsync(url, 0, new byte[100])).StatusCode);
        foreach (var offset in new[] { "-1", "-100", "abc", "1.5", "", "+100", "0x64", "1e2", "١٠٠", "00000000000000000000100", "100, 200" })
        {
            using var request = TusClient.Request(HttpMethod.Patch, url);
            request.Headers.TryAddWithoutValidation("Upload-Offset", offset);
            request.Content = TusClient.Body(new byte[10]);
            var response = await tus.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Upload-Offset '{offset}': {response.StatusCode}");
        }

        foreach (var offset in new long[] { 0, 99, 101, 5000, 5001, long.MaxValue })
        {
            Assert.Equal(HttpStatusCode.Conflict, (await tus.PatchAsync(url, offset, new byte[10])).StatusCode);
        }

        using var none = TusClient.Request(HttpMethod.Patch, url);
        none.Content = TusClient.Body(new byte[10]);
        Assert.Equal(HttpStatusCode.BadRequest, (await tus.Http.SendAsync(none)).StatusCode);
        Assert.Equal(100, await tus.OffsetAsync(url));
    }

    [Fact]
    public async Task ABodyPastTheLength_Is413_AndKeepsNothing()
    {
        var tus = await ClientAsync();
        var url = await tus.CreatedAsync(1000, TusClient.Metadata(("filename", "x.wav")));
        var announced = await tus.PatchAsync(url, 0, new byte[1500]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, announced.StatusCode);
        Assert.Contains("1000 bytes", (await announced.BodyAsync()).GetProperty("detail").GetString());

        // Chunked: no length announced, found while streaming.
        using var chunked = TusClient.Request(HttpMethod.Patch, url);
        chunked.Headers.Add("Upload-Offset", "0");
        chunked.Content = new StreamContent(new UnannouncedStream(new byte[1500]));
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await tus.Http.SendAsync(chunked)).StatusCode);

        // creation-with-upload past the length: created, nothing kept.
        var withBody = await tus.CreateAsync(10, TusClient.Metadata(("filename", "y.wav")), new byte[11]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, withBody.StatusCode);
        var created = withBody.Headers.Location!.ToString();
        Assert.Equal(0, await tus.OffsetAsync(created));

        Assert.Equal(0, await tus.OffsetAsync(url));
        Assert.Empty(UploadBlobs(url));
        Assert.Empty(UploadBlobs(created));
    }

    [Fact]
    public async Task Metadata_IsReadStrictly_AndNamesAreOnlyNames()
    {
        var tus = await ClientAsync();
        string Encode(byte[] bytes) => Convert.ToBase64String(bytes);
        var refusals = new[]
        {
            "filename not*base64",
            "filename " + Encode("a"u8.ToArray()) + ",filename " + Encode("b"u8.ToArray()),
            "file name " + Encode("a"u8.ToArray()),
            "filénàme " + Encode("a"u8.ToArray()),
            "filename " + Encode([0xff, 0xfe, 0x00]),
            "filename " + Encode(Encoding.UTF8.GetBytes(new string('a', 4000))),
            ",",
            TusClient.Metadata(("purpose", "admin")),
            TusClient.Metadata(("purpose", "1")),
            TusClient.Metadata(("purpose", "asset,import")),
            TusClient.Metadata(("purpose", "artwork")),
            TusClient.Metadata(("purpose", "artwork"), ("releaseId", "../../releases")),
            TusClient.Metadata(("purpose", "asset"), ("releaseId", Guid.NewGuid().ToString())),
        };
        foreach (var metadata in refusals)
        {
            var response = await tus.CreateAsync(100, metadata);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{metadata}: {response.StatusCode}");
        }

        // Artwork of a release that is not there, or not the caller's: as PUT .../artwork answers.
        Assert.Equal(HttpStatusCode.NotFound, (await tus.CreateAsync(100, TusClient.Metadata(("purpose", "artwork"), ("releaseId", Guid.NewGuid().ToString())))).StatusCode);
        Assert.Equal(0, await OpenUploadsAsync(tus));

        // A path is cut to its name; control characters (a header's line break) are dropped, and HEAD sends the name
        // back only as Base64.
        var traversal = await tus.CreatedAsync(100, TusClient.Metadata(("filename", "../../../etc/passwd")));
        Assert.Equal("passwd", (await (await tus.Http.GetAsync(traversal)).BodyAsync()).GetProperty("fileName").GetString());
        var header = await tus.CreatedAsync(100, TusClient.Metadata(("filename", "evil\r\nSet-Cookie: session=stolen\r\n.wav")));
        var upload = await (await tus.Http.GetAsync(header)).BodyAsync();
        Assert.Equal("evilSet-Cookie: session=stolen.wav", upload.GetProperty("fileName").GetString());
        var head = await tus.HeadAsync(header);
        Assert.False(head.Headers.Contains("Set-Cookie"));
        var echoed = head.Headers.GetValues("Upload-Metadata").Single();
        Assert.DoesNotContain("\n", echoed, StringComparison.Ordinal);
        Assert.Contains("filename " + Convert.ToBase64String(Encoding.UTF8.GetBytes("evilSet-Cookie: session=stolen.wav")), echoed, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, upload.GetProperty("releaseId").ValueKind);
    }

    [Fact]
    public async Task TwoPatchesAtOneOffset_OneWins_TheOtherIs409_AndNothingIsMixed()
    {
        var tus = await ClientAsync();
        var (quiet, loud) = (AssetsApiTests.StereoSineWav(-30, 1), AssetsApiTests.StereoSineWav(-10, 1));
        var url = await tus.CreatedAsync(quiet.Length, TusClient.Metadata(("filename", "raced.wav")));

        var answers = await Task.WhenAll(tus.PatchAsync(url, 0, quiet), tus.PatchAsync(url, 0, loud));
        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var winner = answers[0].StatusCode == HttpStatusCode.NoContent ? quiet : loud;
        var resource = answers.Single(a => a.StatusCode == HttpStatusCode.NoContent).Headers.GetValues("Upload-Resource").Single();
        Assert.Equal(winner, await tus.Http.GetByteArrayAsync($"{resource}/audio"));
        Assert.Empty(UploadBlobs(url));
    }

    /// <summary>A script's token uploads with projects:write (reads with projects:read); artwork needs releases:write as well.</summary>
    [Fact]
    public async Task AScopedToken_UploadsOnlyWithinItsScopes()
    {
        using var owner = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var reader = new TusClient(platform.CreateClient(await PersonalTokenTests.TokenAsync(owner, "projects:read")));
        var writer = new TusClient(platform.CreateClient(await PersonalTokenTests.TokenAsync(owner, "projects:write")));
        var metadata = TusClient.Metadata(("filename", "script.wav"));

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.CreateAsync(100, metadata)).StatusCode);
        var url = await writer.CreatedAsync(100, metadata);
        Assert.Equal(HttpStatusCode.NoContent, (await writer.PatchAsync(url, 0, new byte[10])).StatusCode);
        Assert.Equal(10, await reader.OffsetAsync(url));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PatchAsync(url, 10, new byte[10])).StatusCode);
        using var delete = TusClient.Request(HttpMethod.Delete, url);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.SendAsync(delete)).StatusCode);

        var artwork = await writer.CreateAsync(100, TusClient.Metadata(("purpose", "artwork"), ("releaseId", Guid.NewGuid().ToString())));
        Assert.Equal(HttpStatusCode.Forbidden, artwork.StatusCode);
        Assert.Contains("releases:write", (await artwork.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A body of unknown length, so the client sends it chunked.</summary>
    private sealed class UnannouncedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

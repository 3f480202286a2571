using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// The platform for resumable uploads, on a real socket (a test cuts connections part way through a body): parts under
/// 128 KiB are joined (so a test's cuts make both joined and separate parts), 16 MiB of storage per user and 3 open
/// uploads, so the limits are reached with small files.
/// </summary>
public sealed class TusPlatform : EmbeddedPlatform
{
    public TusPlatform() : base(NewDataDirectory(), new Dictionary<string, string?>
    {
        ["Jacameno:Uploads:JoinPartsBelowBytes"] = "131072",
        ["Jacameno:Uploads:MaxOpenPerUser"] = "3",
        ["Jacameno:Assets:UserQuotaBytes"] = "16777216",
    })
    {
        UseKestrel(0);
        StartServer();
    }

    /// <summary>The files the blob folder holds for an upload's bytes (its parts and any PATCH still writing).</summary>
    public string[] UploadBlobs(string location)
    {
        var folder = Path.Combine(DataDirectory, "blobs", "objects", "uploads", Guid.Parse(location.Split('/')[^1]).ToString("N"));
        return Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
    }
}

/// <summary>Resumable uploads with the tus 1.0 protocol, against the real embedded platform (real ffmpeg, SQLite, blob folder).</summary>
public sealed class ResumableUploadTests(TusPlatform platform) : IClassFixture<TusPlatform>
{
    private static string AssetMetadata(string name) => TusClient.Metadata(("filename", name), ("filetype", "audio/wav"));

    private async Task<TusClient> ClientAsync() => new(platform.CreateClient((await platform.RegisterAsync()).AccessToken));

    [Fact]
    public async Task AnUploadCutAtRandomOffsets_AndResumed_BecomesAnAsset_ByteForByte()
    {
        var tus = await ClientAsync();
        var wav = AssetsApiTests.StereoSineWav(-20, 6);
        var random = new Random(27);
        var cuts = Enumerable.Range(0, 7).Select(_ => (long)random.Next(1, wav.Length)).ToList();

        var created = await tus.CreateAsync(wav.Length, AssetMetadata("cut \u0007many times.wav"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var url = created.Headers.Location!.ToString();
        Assert.Matches("^/api/uploads/[0-9a-f-]{36}$", url);
        Assert.Equal("1.0.0", created.Headers.GetValues("Tus-Resumable").Single());
        var expires = DateTimeOffset.Parse(created.Headers.GetValues("Upload-Expires").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));

        var (done, offsets) = await tus.SendAsync(url, wav, cuts);
        Assert.True(done.StatusCode == HttpStatusCode.NoContent, await done.Content.ReadAsStringAsync());
        // Each cut kept exactly what had arrived, and the upload went on from there.
        Assert.Equal([0, .. cuts.Order()], offsets);
        Assert.Equal(wav.Length.ToString(CultureInfo.InvariantCulture), done.Headers.GetValues("Upload-Offset").Single());
        var resource = done.Headers.GetValues("Upload-Resource").Single();
        Assert.Matches("^/api/assets/[0-9a-f-]{36}$", resource);

        var asset = await AssetsApiTests.ProcessedAsync(tus.Http, resource.Split('/')[^1]);
        Assert.Equal(("ready", "cut many times.wav", (long)wav.Length, 6.0), (asset.GetProperty("status").GetString(), asset.GetProperty("fileName").GetString(),
            asset.GetProperty("size").GetInt64(), asset.GetProperty("durationSeconds").GetDouble()));
        Assert.Equal(wav, await tus.Http.GetByteArrayAsync($"{resource}/audio"));

        // The upload tells what it became; its parts are gone; asked again (a lost answer), the last PATCH changes nothing.
        var upload = await (await tus.Http.GetAsync(url)).BodyAsync();
        Assert.Equal(("completed", wav.Length, "asset", resource), (upload.GetProperty("status").GetString(), upload.GetProperty("offset").GetInt64(),
            upload.GetProperty("resource").GetProperty("kind").GetString(), upload.GetProperty("resource").GetProperty("href").GetString()));
        Assert.Empty(platform.UploadBlobs(url));
        Assert.Equal(wav.Length, await tus.OffsetAsync(url));
        var again = await tus.PatchAsync(url, wav.Length, Array.Empty<byte>());
        Assert.Equal((HttpStatusCode.NoContent, resource), (again.StatusCode, again.Headers.GetValues("Upload-Resource").Single()));
        Assert.Equal(HttpStatusCode.Conflict, (await tus.PatchAsync(url, 0, wav.AsMemory(0, 10))).StatusCode);
        Assert.Single((await (await tus.Http.GetAsync("/api/assets")).BodyAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Options_AnnounceTheProtocol_ToAnyone()
    {
        using var anonymous = platform.CreateClient();
        var response = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/api/uploads"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        string Header(string name) => response.Headers.GetValues(name).Single();
        Assert.Equal(("1.0.0", "1.0.0", "creation,creation-with-upload,creation-defer-length,termination,expiration,checksum", (1L << 30).ToString(CultureInfo.InvariantCulture)),
            (Header("Tus-Resumable"), Header("Tus-Version"), Header("Tus-Extension"), Header("Tus-Max-Size")));
        Assert.Contains("sha1", Header("Tus-Checksum-Algorithm").Split(','));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(TusClient.Request(HttpMethod.Post, "/api/uploads"))).StatusCode);
    }

    [Fact]
    public async Task AChecksumMismatch_Is460_AndTheOffsetStays()
    {
        var tus = await ClientAsync();
        var wav = AssetsApiTests.StereoSineWav(-20, 1);
        var url = await tus.CreatedAsync(wav.Length, AssetMetadata("checked.wav"));
        var first = wav.AsMemory(0, 1000);

        var wrong = await tus.PatchAsync(url, 0, first, TusClient.Sha1(wav.AsSpan(1, 1000)));
        Assert.Equal((HttpStatusCode)460, wrong.StatusCode);
        Assert.Contains("Upload-Checksum", (await wrong.BodyAsync()).GetProperty("detail").GetString());
        Assert.Equal(0, await tus.OffsetAsync(url));
        Assert.Empty(platform.UploadBlobs(url));
        Assert.Equal(HttpStatusCode.BadRequest, (await tus.PatchAsync(url, 0, first, "crc32 AAAA")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await tus.PatchAsync(url, 0, first, "sha1 not*base64")).StatusCode);
        Assert.Equal(0, await tus.OffsetAsync(url));

        var right = await tus.PatchAsync(url, 0, first, TusClient.Sha1(first.Span));
        Assert.Equal(HttpStatusCode.NoContent, right.StatusCode);
        Assert.Equal("1000", right.Headers.GetValues("Upload-Offset").Single());
        var sha256 = "sha256 " + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(wav.AsSpan(1000)));
        var last = await tus.PatchAsync(url, 1000, wav.AsMemory(1000), sha256);
        Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        Assert.Equal(wav, await tus.Http.GetByteArrayAsync($"{last.Headers.GetValues("Upload-Resource").Single()}/audio"));
    }

    [Fact]
    public async Task AWrongOffset_Is409_AWrongVersion_412_AndAWrongBodyType_415()
    {
        var tus = await ClientAsync();
        var url = await tus.CreatedAsync(5000, AssetMetadata("offsets.wav"));
        Assert.Equal(HttpStatusCode.NoContent, (await tus.PatchAsync(url, 0, new byte[100])).StatusCode);

        foreach (var offset in new long[] { 0, 99, 101, 5000 })
        {
            var conflict = await tus.PatchAsync(url, offset, new byte[10]);
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
            Assert.Contains("offset is 100", (await conflict.BodyAsync()).GetProperty("detail").GetString());
        }

        Assert.Equal(100, await tus.OffsetAsync(url));
        foreach (var version in new[] { null, "0.2.2", "1.0", "2.0.0" })
        {
            using var head = TusClient.Request(HttpMethod.Head, url, version);
            var refused = await tus.Http.SendAsync(head);
            Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
            Assert.Equal("1.0.0", refused.Headers.GetValues("Tus-Version").Single());
        }

        using var json = TusClient.Request(HttpMethod.Patch, url);
        json.Headers.Add("Upload-Offset", "100");
        json.Content = new ByteArrayContent(new byte[10]) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await tus.Http.SendAsync(json)).StatusCode);
        Assert.Equal(100, await tus.OffsetAsync(url));

        var head200 = await tus.HeadAsync(url);
        Assert.Equal(("5000", "no-store"), (head200.Headers.GetValues("Upload-Length").Single(), head200.Headers.CacheControl?.ToString()));
        Assert.Contains("filename b2Zmc2V0cy53YXY=", head200.Headers.GetValues("Upload-Metadata").Single());
    }

    /// <summary>
    /// A recording is sent while it is made: opened without a length, its WAV streamed with unknown sizes, the length
    /// declared by the last PATCH (or by an empty one after every byte is in). It becomes an asset of the right length.
    /// </summary>
    [Fact]
    public async Task AnUploadOfDeferredLength_TakesBytesAsTheyCome_AndEndsWhenItsLengthIsDeclared()
    {
        var tus = await ClientAsync();
        var wav = AssetsApiTests.StereoSineWav(-20, 2);
        // The sizes a recorder writes before it knows them: RIFF and data 0xFFFFFFFF.
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(4), uint.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), uint.MaxValue);

        var url = await tus.CreatedDeferredAsync(AssetMetadata("take 1.wav"));
        var head = await tus.HeadAsync(url);
        Assert.Equal(("1", false), (head.Headers.GetValues("Upload-Defer-Length").Single(), head.Headers.Contains("Upload-Length")));
        Assert.Equal(JsonValueKind.Null, (await (await tus.Http.GetAsync(url)).BodyAsync()).GetProperty("length").ValueKind);

        var half = wav.Length / 2;
        Assert.Equal(HttpStatusCode.NoContent, (await tus.PatchAsync(url, 0, wav.AsMemory(0, half))).StatusCode);
        // Not whole at any offset until the length is declared; a length below what is in, or above the quota's room, is refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await tus.PatchDeclaringAsync(url, half, Array.Empty<byte>(), half - 1)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await tus.PatchDeclaringAsync(url, half, Array.Empty<byte>(), 17 * 1024 * 1024)).StatusCode);
        var done = await tus.PatchDeclaringAsync(url, half, wav.AsMemory(half), wav.Length);
        Assert.True(done.StatusCode == HttpStatusCode.NoContent, await done.Content.ReadAsStringAsync());
        var asset = await AssetsApiTests.ProcessedAsync(tus.Http, done.Headers.GetValues("Upload-Resource").Single().Split('/')[^1]);
        Assert.Equal(("ready", 2.0), (asset.GetProperty("status").GetString(), asset.GetProperty("durationSeconds").GetDouble()));
        Assert.Equal(wav.Length, (await (await tus.Http.GetAsync(url)).BodyAsync()).GetProperty("length").GetInt64());
        // Declared again (a retried last PATCH), the same length changes nothing; another is refused.
        Assert.Equal(HttpStatusCode.NoContent, (await tus.PatchDeclaringAsync(url, wav.Length, Array.Empty<byte>(), wav.Length)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await tus.PatchDeclaringAsync(url, wav.Length, Array.Empty<byte>(), wav.Length + 1)).StatusCode);

        // Every byte first, then an empty PATCH that only says how many there were.
        var second = await tus.CreatedDeferredAsync(AssetMetadata("take 2.wav"));
        Assert.Equal(HttpStatusCode.NoContent, (await tus.PatchAsync(second, 0, wav)).StatusCode);
        Assert.Equal("receiving", (await (await tus.Http.GetAsync(second)).BodyAsync()).GetProperty("status").GetString());
        var declared = await tus.PatchDeclaringAsync(second, wav.Length, Array.Empty<byte>(), wav.Length);
        Assert.True(declared.StatusCode == HttpStatusCode.NoContent, await declared.Content.ReadAsStringAsync());
        Assert.Matches("^/api/assets/", declared.Headers.GetValues("Upload-Resource").Single());

        // It may grow to what is left of the quota (16 MiB here, less the two takes): bytes past that are refused.
        var third = await tus.CreatedDeferredAsync(AssetMetadata("take 3.wav"));
        using (var past = TusClient.Request(HttpMethod.Patch, third))
        {
            // Expect: 100-continue, so the refusal comes before the body is sent rather than breaking it off.
            past.Headers.ExpectContinue = true;
            past.Headers.Add("Upload-Offset", "0");
            past.Content = TusClient.Body(new byte[16 * 1024 * 1024]);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await tus.Http.SendAsync(past)).StatusCode);
        }

        Assert.Equal(0, await tus.OffsetAsync(third));
        var file = await (await tus.Http.GetAsync(third)).BodyAsync();
        Assert.Equal(JsonValueKind.Null, file.GetProperty("length").ValueKind);
    }

    [Fact]
    public async Task Limits_Size413_Quota413_AndOpenUploads429()
    {
        var tus = await ClientAsync();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await tus.CreateAsync((1L << 30) + 1, AssetMetadata("huge.wav"))).StatusCode);
        var release = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge,
            (await tus.CreateAsync(10 * 1024 * 1024 + 1, TusClient.Metadata(("purpose", "artwork"), ("releaseId", release.ToString())))).StatusCode);

        // 16 MiB of storage: what open uploads will need counts as well as what is stored.
        var over = await tus.CreateAsync(17 * 1024 * 1024, AssetMetadata("over.wav"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        Assert.Contains("of your 16777216 are in use", (await over.BodyAsync()).GetProperty("detail").GetString());
        var first = await tus.CreatedAsync(10 * 1024 * 1024, AssetMetadata("ten.wav"));
        var second = await tus.CreateAsync(7 * 1024 * 1024, AssetMetadata("seven.wav"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, second.StatusCode);
        Assert.Contains("10485760 are promised to open uploads", (await second.BodyAsync()).GetProperty("detail").GetString());

        // Three open at once.
        await tus.CreatedAsync(1000, AssetMetadata("a.wav"));
        await tus.CreatedAsync(1000, AssetMetadata("b.wav"));
        var fourth = await tus.CreateAsync(1000, AssetMetadata("c.wav"));
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Contains("3 uploads open", (await fourth.BodyAsync()).GetProperty("detail").GetString());
        using var delete = TusClient.Request(HttpMethod.Delete, first);
        Assert.Equal(HttpStatusCode.NoContent, (await tus.Http.SendAsync(delete)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await tus.CreateAsync(1000, AssetMetadata("c.wav"))).StatusCode);
    }

    /// <summary>Open uploads with their offsets over GraphQL, cancelled there or by the tus DELETE: the bytes go with them.</summary>
    [Fact]
    public async Task Termination_DeletesTheBytes_OverRestAndGraphQL()
    {
        var tus = await ClientAsync();
        var one = await tus.CreatedAsync(300_000, AssetMetadata("one.wav"));
        var two = await tus.CreatedAsync(300_000, TusClient.Metadata(("filename", "two.dawproject"), ("purpose", "import")));
        Assert.Equal(HttpStatusCode.NoContent, (await tus.PatchAsync(one, 0, new byte[200_000])).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await tus.PatchAsync(two, 0, new byte[1000])).StatusCode);
        Assert.NotEmpty(platform.UploadBlobs(one));

        var graph = await GraphQLApiTests.QueryAsync(tus.Http, "{ uploads { id purpose fileName length offset status expiresAt resource { id } } }");
        var open = graph.GetProperty("data").GetProperty("uploads").EnumerateArray().ToList();
        Assert.Equal([(one, "asset", 200_000L), (two, "import", 1000L)],
            open.Select(u => ("/api/uploads/" + u.GetProperty("id").GetString(), u.GetProperty("purpose").GetString(), u.GetProperty("offset").GetInt64())));
        Assert.All(open, u => Assert.Equal(("receiving", JsonValueKind.Null), (u.GetProperty("status").GetString(), u.GetProperty("resource").ValueKind)));

        using var delete = TusClient.Request(HttpMethod.Delete, one);
        Assert.Equal(HttpStatusCode.NoContent, (await tus.Http.SendAsync(delete)).StatusCode);
        Assert.Empty(platform.UploadBlobs(one));
        Assert.Equal(HttpStatusCode.NotFound, (await tus.HeadAsync(one)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tus.PatchAsync(one, 200_000, new byte[10])).StatusCode);

        var cancelled = await GraphQLApiTests.QueryAsync(tus.Http, "mutation($id: ID!) { cancelUpload(id: $id) }", new { id = two.Split('/')[^1] });
        Assert.True(cancelled.GetProperty("data").GetProperty("cancelUpload").GetBoolean(), cancelled.ToString());
        Assert.Empty(platform.UploadBlobs(two));
        Assert.Empty((await GraphQLApiTests.QueryAsync(tus.Http, "{ uploads { id } }")).GetProperty("data").GetProperty("uploads").EnumerateArray());
    }

    /// <summary>Artwork and DAWproject imports finish through the same calls as their single-request endpoints, refusals included.</summary>
    [Fact]
    public async Task ArtworkAndImports_FinishAsTheirOwnEndpointsWould()
    {
        var tus = await ClientAsync();
        var release = (await StreamingApiTests.QuickReleaseAsync(tus.Http, "Resumable cover " + StreamingApiTests.Word())).GetProperty("id").GetString()!;
        var image = StreamingApiTests.Bmp(640, 400);
        var artwork = TusClient.Metadata(("filename", "cover.bmp"), ("purpose", "artwork"), ("releaseId", release));
        // creation-with-upload: the first bytes come with the POST.
        var created = await tus.CreateAsync(image.Length, artwork, image[..5000]);
        Assert.Equal((HttpStatusCode.Created, "5000"), (created.StatusCode, created.Headers.GetValues("Upload-Offset").Single()));
        var url = created.Headers.Location!.ToString();
        var done = await tus.PatchAsync(url, 5000, image.AsMemory(5000));
        Assert.True(done.StatusCode == HttpStatusCode.NoContent, await done.Content.ReadAsStringAsync());
        Assert.Equal($"/api/releases/{release}", done.Headers.GetValues("Upload-Resource").Single());
        Assert.True((await (await tus.Http.GetAsync($"/api/releases/{release}")).BodyAsync()).GetProperty("hasArtwork").GetBoolean());
        Assert.Equal("image/jpeg", (await tus.Http.GetAsync($"/api/releases/{release}/artwork?size=300")).Content.Headers.ContentType?.MediaType);

        // Someone else's release is refused before a byte is sent, as PUT .../artwork refuses it.
        var stranger = await ClientAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.CreateAsync(image.Length, artwork)).StatusCode);

        // A DAWproject file exported here comes back as a new project.
        var project = (await ProjectsApiTests.CreateAsync(tus.Http, "Resumed import")).GetProperty("id").GetString();
        var zip = await tus.Http.GetByteArrayAsync($"/api/projects/{project}/dawproject");
        var import = await tus.CreatedAsync(zip.Length, TusClient.Metadata(("filename", "Resumed import.dawproject"), ("purpose", "import")));
        var (imported, _) = await tus.SendAsync(import, zip, [zip.Length / 2]);
        Assert.True(imported.StatusCode == HttpStatusCode.NoContent, await imported.Content.ReadAsStringAsync());
        var copy = await (await tus.Http.GetAsync(imported.Headers.GetValues("Upload-Resource").Single())).BodyAsync();
        Assert.Equal("Resumed import", copy.GetProperty("name").GetString());
        Assert.NotEqual(project, copy.GetProperty("id").GetString());

        // What the import refuses fails the upload with the same reason, and frees its bytes.
        using var notAZip = new MemoryStream();
        using (var archive = new ZipArchive(notAZip, ZipArchiveMode.Create, leaveOpen: true))
        {
            archive.CreateEntry("readme.txt");
        }

        var bad = await tus.CreatedAsync(notAZip.Length, TusClient.Metadata(("filename", "bad.dawproject"), ("purpose", "import")));
        var refused = await tus.PatchAsync(bad, 0, notAZip.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var reason = (await refused.BodyAsync()).GetProperty("detail").GetString();
        Assert.Contains("no project.xml", reason);
        var failed = await (await tus.Http.GetAsync(bad)).BodyAsync();
        Assert.Equal(("failed", reason), (failed.GetProperty("status").GetString(), failed.GetProperty("error").GetString()));
        Assert.Empty(platform.UploadBlobs(bad));
    }
}

/// <summary>Uploads left unfinished expire after <c>Jacameno:Uploads:Lifetime</c> (here 2 s): the sweep deletes them and their bytes.</summary>
public sealed class ResumableUploadExpiryTests : IAsyncLifetime
{
    private EmbeddedPlatform platform = null!;

    public Task InitializeAsync()
    {
        platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?> { ["Jacameno:Uploads:Lifetime"] = "00:00:02" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await platform.DisposeAsync();

    [Fact]
    public async Task AStaleUpload_Expires_AndItsBytesAreDeleted()
    {
        var tus = new TusClient(platform.CreateClient((await platform.RegisterAsync()).AccessToken));
        var url = await tus.CreatedAsync(1_000_000, TusClient.Metadata(("filename", "left behind.wav")));
        var patched = await tus.PatchAsync(url, 0, new byte[300_000]);
        Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        var expires = DateTimeOffset.Parse(patched.Headers.GetValues("Upload-Expires").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(3));
        var folder = Path.Combine(platform.DataDirectory, "blobs", "objects", "uploads", Guid.Parse(url.Split('/')[^1]).ToString("N"));
        Assert.NotEmpty(Directory.GetFiles(folder));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await tus.HeadAsync(url)).StatusCode == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(250);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await tus.HeadAsync(url)).StatusCode);
        Assert.Empty(Directory.GetFiles(folder));
        Assert.Equal(HttpStatusCode.NotFound, (await tus.PatchAsync(url, 300_000, new byte[10])).StatusCode);
        Assert.Empty((await GraphQLApiTests.QueryAsync(tus.Http, "{ uploads { id } }")).GetProperty("data").GetProperty("uploads").EnumerateArray());
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jacameno.Audio.Formats;

namespace Jacameno.Frontend.Tests;

/// <summary>The marketplace through the API: listings, previews, orders with the manual provider, the ledger, refunds, reviews.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class MarketplaceApiTests(SharedPlatform platform)
{
    internal static object Tier(string name, long price, string[] formats, bool exclusive = false, string currency = "USD") => new
    {
        name, price, currency, formats, exclusive,
        terms = new { distributionCopies = exclusive ? (long?)null : 5000, audioStreams = exclusive ? (long?)null : 100_000, musicVideos = 1, radio = exclusive, creditLine = "Prod. by Seller" },
    };

    /// <summary>20 s of a 220 Hz tone: a "beat" whose preview's watermark is easy to find.</summary>
    private static byte[] Beat()
    {
        var tone = Enumerable.Range(0, 48000 * 20).Select(i => 0.3f * (float)Math.Sin(2 * Math.PI * 220 * i / 48000)).ToArray();
        using var stream = new MemoryStream();
        WavWriter.Write(stream, [tone, tone], 48000, WavSampleFormat.Pcm24);
        return stream.ToArray();
    }

    /// <summary>A published beat with an MP3 lease ($29.99), a WAV lease ($49.99) and an exclusive ($999).</summary>
    internal static async Task<JsonElement> PublishedBeatAsync(HttpClient seller, string title)
    {
        var assetId = await StreamingApiTests.ReadyAssetAsync(seller, Beat());
        var created = await seller.PostAsJsonAsync("/api/listings", new
        {
            type = "beat", title, genre = "trap", tags = new[] { "dark" }, assetId,
            tiers = new[] { Tier("MP3 lease", 2999, ["mp3", "taggedMp3"]), Tier("WAV lease", 4999, ["wav", "mp3"]), Tier("Exclusive", 99900, ["wav", "mp3"], exclusive: true) },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Accepted, await created.Content.ReadAsStringAsync());
        var body = await created.BodyAsync();
        var job = await JobsApiTests.FinishedAsync(seller, body.GetProperty("jobId").GetString()!);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.GetRawText());
        var id = body.GetProperty("listing").GetProperty("id").GetString();
        var published = await seller.PostAsync($"/api/listings/{id}/publish", null);
        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        return await published.BodyAsync();
    }

    internal static string TierId(JsonElement listing, string name) =>
        listing.GetProperty("tiers").EnumerateArray().Single(t => t.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;

    /// <summary>Energy of <paramref name="hz"/> in the decoded file between two times, relative to the whole signal there.</summary>
    private static async Task<double> ToneShareAsync(byte[] file, double hz, double from, double to)
    {
        var input = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.mp3");
        var output = Path.ChangeExtension(input, "wav");
        await File.WriteAllBytesAsync(input, file);
        using (var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-y", "-i", input, "-ac", "1", "-ar", "48000", "-c:a", "pcm_f32le", output]))!)
        {
            await ffmpeg.WaitForExitAsync();
        }

        float[] samples;
        await using (var wavFile = File.OpenRead(output))
        {
            samples = WavReader.ReadAll(wavFile).Samples[0];
        }

        File.Delete(input);
        File.Delete(output);
        var (start, end) = ((int)(from * 48000), (int)(to * 48000));
        double re = 0, im = 0, energy = 0;
        for (var i = start; i < end; i++)
        {
            re += samples[i] * Math.Cos(2 * Math.PI * hz * i / 48000);
            im += samples[i] * Math.Sin(2 * Math.PI * hz * i / 48000);
            energy += samples[i] * samples[i];
        }

        return 2 * ((re * re) + (im * im)) / (end - start) / energy;
    }

    [Fact]
    public async Task Beat_Previewed_Bought_Downloaded_Licensed_Reviewed_AndRefunded()
    {
        var seller = await platform.RegisterAsync(displayName: "Beat Seller");
        var buyer = await platform.RegisterAsync(displayName: "Beat Buyer");
        using var sellerClient = platform.CreateClient(seller.AccessToken);
        using var buyerClient = platform.CreateClient(buyer.AccessToken);
        using var admin = platform.CreateClient(await platform.AdminTokenAsync());
        var listing = await PublishedBeatAsync(sellerClient, "Dark Trap " + StreamingApiTests.Word());
        var id = listing.GetProperty("id").GetString()!;
        Assert.Equal(("published", true, "Beat Seller"), (listing.GetProperty("status").GetString(), listing.GetProperty("hasPreview").GetBoolean(), listing.GetProperty("seller").GetString()));
        // Files are named, never reachable: no keys, no links.
        Assert.DoesNotContain("listings/", listing.GetRawText(), StringComparison.Ordinal);

        // The preview carries the tag every 15 s from 1 s; the master does not.
        using var anonymous = platform.CreateClient();
        var preview = await anonymous.GetByteArrayAsync($"/api/listings/{id}/preview");
        var (tagged, clean) = (await ToneShareAsync(preview, 880, 1.05, 1.4), await ToneShareAsync(preview, 880, 5, 6));
        Assert.True(tagged > 0.01 && clean < 0.001, $"880 Hz share: {tagged:F4} at the tag, {clean:F5} between tags");

        var order = await (await buyerClient.PostAsJsonAsync("/api/orders", new { listingId = id, tierId = TierId(listing, "WAV lease") })).BodyAsync();
        var orderId = order.GetProperty("id").GetString();
        Assert.Equal(("pending", "manual"), (order.GetProperty("status").GetString(), order.GetProperty("provider").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await buyerClient.PostAsync($"/api/orders/{orderId}/downloads", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await buyerClient.PostAsync($"/api/admin/orders/{orderId}/paid", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.CreateClient((await platform.RegisterAsync()).AccessToken).GetAsync($"/api/orders/{orderId}")).StatusCode);

        // Admins list the payments waiting for them, over REST and GraphQL; nobody else may.
        var waiting = await (await admin.GetAsync("/api/admin/orders?status=pending&first=100")).BodyAsync();
        Assert.Contains(orderId, waiting.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        Assert.All(waiting.GetProperty("items").EnumerateArray(), o => Assert.Equal("pending", o.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await buyerClient.GetAsync("/api/admin/orders?status=pending")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/orders?status=lost")).StatusCode);
        var listed = await GraphQLApiTests.QueryAsync(admin, "{ adminOrders(status: \"pending\", first: 100) { nodes { id } } }");
        Assert.Contains(orderId, listed.GetProperty("data").GetProperty("adminOrders").GetProperty("nodes").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        var refused = await GraphQLApiTests.QueryAsync(buyerClient, "mutation($id: ID!) { markOrderPaid(id: $id) { status } }", new { id = orderId });
        Assert.Equal("FORBIDDEN", refused.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        var paid = await (await admin.PostAsync($"/api/admin/orders/{orderId}/paid", null)).BodyAsync();
        Assert.Equal("completed", paid.GetProperty("status").GetString());
        Assert.DoesNotContain(orderId, (await (await admin.GetAsync("/api/admin/orders?status=pending&first=100")).BodyAsync())
            .GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        Assert.Equal("completed", (await (await admin.PostAsync($"/api/admin/orders/{orderId}/paid", null)).BodyAsync()).GetProperty("status").GetString());

        var downloads = await (await buyerClient.PostAsync($"/api/orders/{orderId}/downloads", null)).BodyAsync();
        Assert.Equal(["master.mp3", "master.wav"], downloads.EnumerateArray().Select(d => d.GetProperty("name").GetString()).Order());
        var wav = downloads.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "master.wav");
        var bytes = await anonymous.GetByteArrayAsync(wav.GetProperty("url").GetString());
        Assert.Equal(wav.GetProperty("size").GetInt64(), bytes.Length);
        Assert.Equal("RIFF"u8.ToArray(), bytes[..4]);
        Assert.Equal(9, (await (await buyerClient.GetAsync($"/api/orders/{orderId}")).BodyAsync()).GetProperty("downloadsLeft").GetInt32());

        var license = await buyerClient.GetStringAsync($"/api/orders/{orderId}/license");
        Assert.Contains("WAV LEASE", license);
        Assert.Contains("Beat Buyer", license);
        Assert.Contains("Beat Seller", license);
        Assert.Contains($"{orderId}", license);
        Assert.Contains("Up to 5,000 copies", license);
        Assert.Contains("Prod. by Seller", license);

        // The license travels: the files become the buyer's assets under this order, and a render of a project using one names it.
        var library = (await (await buyerClient.PostAsync($"/api/orders/{orderId}/library", null)).BodyAsync()).GetProperty("assetIds");
        Assert.Equal(2, library.GetArrayLength());
        Assert.Equal(library.GetRawText(), (await (await buyerClient.PostAsync($"/api/orders/{orderId}/library", null)).BodyAsync()).GetProperty("assetIds").GetRawText());
        var licensed = await AssetsApiTests.ProcessedAsync(buyerClient, library[0].GetString()!);
        Assert.Equal(("ready", orderId), (licensed.GetProperty("status").GetString(), licensed.GetProperty("licenseId").GetString()));
        var projectId = (await ProjectsApiTests.CreateAsync(buyerClient, "With a bought beat")).GetProperty("id").GetString()!;
        var track = Guid.NewGuid();
        await ProjectsApiTests.SubmitAsync(buyerClient, projectId,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Beat", kind = "audio" }),
            ProjectsApiTests.Op("clip.add", new { trackId = track, start = 0, length = 48000, assetId = licensed.GetProperty("id").GetString() }));
        var render = await (await buyerClient.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { format = "wav" })).BodyAsync();
        var rendered = await JobsApiTests.FinishedAsync(buyerClient, render.GetProperty("id").GetString()!);
        Assert.True(rendered.GetProperty("status").GetString() == "succeeded", rendered.GetRawText());
        var licenses = rendered.GetProperty("result").GetProperty("report").GetProperty("licenses");
        Assert.Equal(orderId, Assert.Single(licenses.EnumerateArray()).GetProperty("orderId").GetString());

        // 49.99 less the 10 % fee is the seller's, clearing for a week; nothing can be paid out yet.
        var balance = (await (await sellerClient.GetAsync("/api/seller/balance")).BodyAsync())[0];
        Assert.Equal(("USD", 0L, 4499L), (balance.GetProperty("currency").GetString(), balance.GetProperty("available").GetInt64(), balance.GetProperty("clearing").GetInt64()));
        Assert.Equal(HttpStatusCode.BadRequest, (await sellerClient.PostAsJsonAsync("/api/seller/payouts", new { currency = "USD" })).StatusCode);
        Assert.Contains(await (await sellerClient.GetAsync("/api/notifications")).BodyAsync() is var n ? n.GetProperty("items").EnumerateArray() : default,
            x => x.GetProperty("kind").GetString() == "sale");
        Assert.Single((await (await sellerClient.GetAsync("/api/orders?role=seller")).BodyAsync()).GetProperty("items").EnumerateArray());

        // Reviews: buyers only, once each (a second one replaces the first).
        Assert.Equal(HttpStatusCode.Forbidden, (await sellerClient.PutAsJsonAsync($"/api/listings/{id}/review", new { stars = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await buyerClient.PutAsJsonAsync($"/api/listings/{id}/review", new { stars = 6 })).StatusCode);
        Assert.Equal(5, (await (await buyerClient.PutAsJsonAsync($"/api/listings/{id}/review", new { stars = 5, text = "hard" })).BodyAsync()).GetProperty("ratingAverage").GetDouble());
        var edited = await (await buyerClient.PutAsJsonAsync($"/api/listings/{id}/review", new { stars = 3, text = "ok" })).BodyAsync();
        Assert.Equal((3.0, 1), (edited.GetProperty("ratingAverage").GetDouble(), edited.GetProperty("ratingCount").GetInt32()));

        // A refund by the seller: downloads end, the ledger is back where it was, the license says so.
        Assert.Equal(HttpStatusCode.Forbidden, (await buyerClient.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { reason = "mine" })).StatusCode);
        var refunded = await (await sellerClient.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { reason = "wrong file" })).BodyAsync();
        Assert.Equal("refunded", refunded.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await buyerClient.PostAsync($"/api/orders/{orderId}/downloads", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await sellerClient.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { reason = "again" })).StatusCode);
        var after = (await (await sellerClient.GetAsync("/api/seller/balance")).BodyAsync())[0];
        Assert.Equal((0L, 0L), (after.GetProperty("available").GetInt64(), after.GetProperty("clearing").GetInt64()));
        Assert.Contains("REVOKED", await buyerClient.GetStringAsync($"/api/orders/{orderId}/license"));
    }

    [Fact]
    public async Task Exclusive_OneOfAHundredBuyersWins_LeasesBeforeStay_OthersCancelledOrRefunded()
    {
        var seller = await platform.RegisterAsync();
        using var sellerClient = platform.CreateClient(seller.AccessToken);
        using var admin = platform.CreateClient(await platform.AdminTokenAsync());
        var listing = await PublishedBeatAsync(sellerClient, "Exclusive " + StreamingApiTests.Word());
        var id = listing.GetProperty("id").GetString()!;

        // A lease bought before the exclusive sells stays valid; one still unpaid when it sells is cancelled.
        var leaseBuyer = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var lease = (await (await leaseBuyer.PostAsJsonAsync("/api/orders", new { listingId = id, tierId = TierId(listing, "MP3 lease") })).BodyAsync()).GetProperty("id").GetString();
        await admin.PostAsync($"/api/admin/orders/{lease}/paid", null);
        var lateBuyer = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var late = (await (await lateBuyer.PostAsJsonAsync("/api/orders", new { listingId = id, tierId = TierId(listing, "MP3 lease") })).BodyAsync()).GetProperty("id").GetString();

        var buyers = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ => platform.CreateClient((await platform.RegisterAsync()).AccessToken)));
        var attempts = await Task.WhenAll(buyers.Select(b => b.PostAsJsonAsync("/api/orders", new { listingId = id, tierId = TierId(listing, "Exclusive") })));
        Assert.Equal(1, attempts.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.All(attempts.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        var winner = (await attempts.Single(a => a.StatusCode == HttpStatusCode.Created).BodyAsync()).GetProperty("id").GetString();

        // The payment confirmation arrives twice at once: one grant.
        var confirmations = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => admin.PostAsync($"/api/admin/orders/{winner}/paid", null)));
        Assert.All(confirmations, c => Assert.Equal(HttpStatusCode.OK, c.StatusCode));
        Assert.Equal("soldExclusively", (await (await sellerClient.GetAsync($"/api/listings/{id}")).BodyAsync()).GetProperty("status").GetString());
        Assert.Equal("cancelled", (await (await lateBuyer.GetAsync($"/api/orders/{late}")).BodyAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await leaseBuyer.PostAsync($"/api/orders/{lease}/downloads", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await buyers[0].PostAsJsonAsync("/api/orders", new { listingId = id, tierId = TierId(listing, "MP3 lease") })).StatusCode);

        // The cancelled order's payment, arriving late, is not a sale: the money goes back.
        var latePaid = await (await admin.PostAsync($"/api/admin/orders/{late}/paid", null)).BodyAsync();
        Assert.Equal("cancelled", latePaid.GetProperty("status").GetString());
        Assert.Contains("refunded", latePaid.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await lateBuyer.PostAsync($"/api/orders/{late}/downloads", null)).StatusCode);

        // Every movement balances: the sale's legs sum to zero; nothing was posted for the late payment.
        var legs = await (await admin.GetAsync($"/api/admin/ledger?reference={winner}")).BodyAsync();
        Assert.Equal(3, legs.GetArrayLength());
        Assert.Equal(0, legs.EnumerateArray().Sum(l => l.GetProperty("amount").GetInt64()));
        Assert.Equal(0, (await (await admin.GetAsync($"/api/admin/ledger?reference={late}")).BodyAsync()).GetArrayLength());

        // The seller earned the lease and the exclusive, less fees: 2999 - 300 + 99900 - 9990.
        var balance = (await (await sellerClient.GetAsync("/api/seller/balance")).BodyAsync())[0];
        Assert.Equal(2699 + 89910, balance.GetProperty("clearing").GetInt64());
    }

    [Fact]
    public async Task Listings_RefuseBadInput_AndSearchFindsThem()
    {
        var seller = await platform.RegisterAsync();
        var buyer = await platform.RegisterAsync();
        using var client = platform.CreateClient(seller.AccessToken);
        using var buyerClient = platform.CreateClient(buyer.AccessToken);
        var word = StreamingApiTests.Word();

        async Task Refused(object body, string field, HttpStatusCode status = HttpStatusCode.BadRequest)
        {
            var response = await client.PostAsJsonAsync("/api/listings", body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, text);
            Assert.Contains(field, text, StringComparison.OrdinalIgnoreCase);
        }

        var presets = new[] { new { name = "Warm bus", effects = new[] { new { type = "compressor", parameters = new Dictionary<string, double> { ["ratio"] = 3 } } } } };
        await Refused(new { type = "presetPack", title = "x", presets, tiers = new[] { Tier("Pack", -5, ["wav"]) } }, "price");
        await Refused(new { type = "presetPack", title = "x", presets, tiers = new[] { Tier("Pack", 100, ["wav"], currency: "XYZ") } }, "currency");
        await Refused(new { type = "presetPack", title = "x", presets, tiers = new[] { Tier("Pack", 100, ["wav"], exclusive: true) } }, "exclusive");
        await Refused(new { type = "presetPack", title = "x", presets = new[] { new { name = "Bad", effects = new[] { new { type = "flanger9000", parameters = new Dictionary<string, double>() } } } } }, "flanger9000");
        await Refused(new { type = "beat", title = "x" }, "assetId");
        await Refused(new { type = "samplePack", title = "x", assetIds = new[] { Guid.NewGuid() } }, "asset", HttpStatusCode.NotFound);
        await Refused(new { type = "hologram", title = "x" }, "type");

        // A free preset pack: no payment, its presets file at once.
        var created = await client.PostAsJsonAsync("/api/listings", new { type = "presetPack", title = $"Mix bus {word}", genre = "presets", presets, tiers = new[] { Tier("Free", 0, ["wav"]) } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var pack = (await created.BodyAsync()).GetProperty("listing");
        var packId = pack.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await buyerClient.GetAsync($"/api/listings/{packId}")).StatusCode);
        await client.PostAsync($"/api/listings/{packId}/publish", null);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/orders", new { listingId = packId, tierId = TierId(pack, "Free") })).StatusCode);
        var free = await (await buyerClient.PostAsJsonAsync("/api/orders", new { listingId = packId, tierId = TierId(pack, "Free") })).BodyAsync();
        Assert.Equal("completed", free.GetProperty("status").GetString());
        var file = (await (await buyerClient.PostAsync($"/api/orders/{free.GetProperty("id").GetString()}/downloads", null)).BodyAsync())[0];
        var presetsFile = await (await platform.CreateClient().GetAsync(file.GetProperty("url").GetString())).BodyAsync();
        Assert.Equal("Warm bus", presetsFile.GetProperty("presets")[0].GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await buyerClient.PostAsJsonAsync("/api/orders", new { listingId = packId, tierId = Guid.NewGuid() })).StatusCode);

        // Paused: not for sale. Search: type, price range in a currency, text.
        await client.PostAsync($"/api/listings/{packId}/pause", null);
        Assert.Equal(HttpStatusCode.Conflict, (await buyerClient.PostAsJsonAsync("/api/orders", new { listingId = packId, tierId = TierId(pack, "Free") })).StatusCode);
        await client.PostAsync($"/api/listings/{packId}/publish", null);
        var found = await (await buyerClient.GetAsync($"/api/listings?q={word}&type=presetPack&currency=usd&priceMin=0&priceMax=0")).BodyAsync();
        Assert.Equal(packId, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Empty((await (await buyerClient.GetAsync($"/api/listings?q={word}&type=beat")).BodyAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await buyerClient.GetAsync("/api/listings?priceMin=10")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await buyerClient.GetAsync("/api/listings?sort=cheap")).StatusCode);

        var graph = await GraphQLApiTests.QueryAsync(buyerClient, "query($q: String) { listings(q: $q) { nodes { id title minPrice type } } }", new { q = word });
        Assert.Equal("presetPack", graph.GetProperty("data").GetProperty("listings").GetProperty("nodes")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task NewEndpoints_RefuseMalformedAndMistypedBodies()
    {
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var id = Guid.NewGuid();
        var posts = new[]
        {
            "/api/orders", "/api/listings", "/api/playlists", "/api/seller/payouts", "/api/releases",
            $"/api/releases/{id}/comments", $"/api/releases/{id}/plays", $"/api/playlists/{id}/items",
        };
        foreach (var path in posts)
        {
            var malformed = await client.PostAsync(path, new StringContent("{\"a\": ", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(malformed.StatusCode == HttpStatusCode.BadRequest, $"{path}: {malformed.StatusCode}");
            var mistyped = await client.PostAsync(path, new StringContent("{\"listingId\": 5, \"title\": [1], \"amount\": \"x\", \"text\": {}, \"playId\": 3, \"releaseId\": true}",
                System.Text.Encoding.UTF8, "application/json"));
            Assert.True(mistyped.StatusCode == HttpStatusCode.BadRequest, $"{path}: {mistyped.StatusCode}");
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync($"/api/listings/{id}/review", new StringContent("{\"stars\": \"five\"}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/seller/payouts", new { currency = "XYZ" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/orders/{id}/license")).StatusCode);
    }
}

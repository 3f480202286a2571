using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jacameno.Audio.Formats;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// The loop library through the API: free sample packs marked as library content, each file analysed (a loop's tempo
/// and beats, or a one-shot), browsed by instrument, kind, key and tempo over REST and GraphQL, heard, taken into a
/// user's audio through one free order of the pack, and placed in a project where it follows the project's tempo.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class LoopLibraryApiTests(SharedPlatform platform)
{
    private const int Rate = 48000;

    /// <summary>A drum loop of <paramref name="bars"/> bars at <paramref name="bpm"/>: a kick on beats one and three, a snare on two and four, eighth hats.</summary>
    internal static byte[] DrumLoopWav(double bpm, int bars)
    {
        var beat = 60 / bpm;
        var audio = new float[(int)Math.Round(bars * 4 * beat * Rate)];
        var random = new Random(7);
        void Hit(double at, double seconds, Func<double, double> sound)
        {
            var start = (int)Math.Round(at * Rate);
            for (var i = 0; i < seconds * Rate && start + i < audio.Length; i++)
            {
                audio[start + i] += (float)sound((double)i / Rate);
            }
        }

        for (var n = 0; n < bars * 4; n++)
        {
            if (n % 2 == 0)
            {
                Hit(n * beat, 0.25, t => 0.8 * Math.Sin(2 * Math.PI * ((50 * t) + (100 * (1 - Math.Exp(-t * 30)) / 30))) * Math.Exp(-t * 12));
            }
            else
            {
                Hit(n * beat, 0.15, t => ((0.4 * (random.NextDouble() - 0.5)) + (0.3 * Math.Sin(2 * Math.PI * 190 * t))) * Math.Exp(-t * 25));
            }

            Hit(n * beat, 0.04, t => 0.12 * (random.NextDouble() - 0.5) * Math.Exp(-t * 90));
            Hit((n + 0.5) * beat, 0.04, t => 0.07 * (random.NextDouble() - 0.5) * Math.Exp(-t * 90));
        }

        return Wav(audio);
    }

    /// <summary>Piano-like stabs of an A minor triad over an A bass, one a beat, for a bar at <paramref name="bpm"/>.</summary>
    private static byte[] MinorStabsWav(double bpm)
    {
        var beat = 60 / bpm;
        var audio = new float[(int)Math.Round(4 * beat * Rate)];
        foreach (var midi in new[] { 45, 57, 60, 64 })
        {
            var hz = 440 * Math.Pow(2, (midi - 69) / 12.0);
            for (var i = 0; i < audio.Length; i++)
            {
                var t = (double)i / Rate;
                var inBeat = t % beat;
                var tone = Enumerable.Range(1, 4).Sum(h => Math.Sin(2 * Math.PI * hz * h * t) / (h * h));
                audio[i] += (float)(0.12 * tone * Math.Min(1, inBeat * 200) * Math.Exp(-inBeat * 4));
            }
        }

        return Wav(audio);
    }

    private static byte[] KickWav()
    {
        var audio = Enumerable.Range(0, Rate / 2).Select(i => (float)(0.8 * Math.Sin(2 * Math.PI * 55 * i / Rate) * Math.Exp(-i / (0.08 * Rate)))).ToArray();
        return Wav(audio);
    }

    private static byte[] Wav(float[] audio)
    {
        using var stream = new MemoryStream();
        WavWriter.Write(stream, [audio, audio], Rate, WavSampleFormat.Pcm24);
        return stream.ToArray();
    }

    /// <summary>A published library pack of the files (name, bytes), played on <paramref name="instrument"/>.</summary>
    internal static async Task<JsonElement> LibraryPackAsync(HttpClient seller, string title, string instrument, params (string Name, byte[] Wav)[] files)
    {
        var assetIds = new List<string>();
        foreach (var (name, wav) in files)
        {
            var id = (await AssetsApiTests.UploadAsync(seller, wav, name)).GetProperty("id").GetString()!;
            Assert.Equal("ready", (await AssetsApiTests.ProcessedAsync(seller, id)).GetProperty("status").GetString());
            assetIds.Add(id);
        }

        var created = await seller.PostAsJsonAsync("/api/listings", new
        {
            type = "samplePack", title, assetIds, library = true, instrument,
            tiers = new[] { MarketplaceApiTests.Tier("Free", 0, ["wav"]) },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Accepted, await created.Content.ReadAsStringAsync());
        var body = await created.BodyAsync();
        var job = await JobsApiTests.FinishedAsync(seller, body.GetProperty("jobId").GetString()!);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.GetRawText());
        var published = await seller.PostAsync($"/api/listings/{body.GetProperty("listing").GetProperty("id").GetString()}/publish", null);
        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        return await published.BodyAsync();
    }

    internal static async Task<List<JsonElement>> LoopsAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/loops?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return [.. (await response.BodyAsync()).GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task LibraryPacks_AreAnalysed_Browsed_Heard_Taken_AndPlayInTime()
    {
        var word = StreamingApiTests.Word();
        var seller = await platform.RegisterAsync(displayName: "Loop Maker");
        var user = await platform.RegisterAsync();
        using var sellerClient = platform.CreateClient(seller.AccessToken);
        using var client = platform.CreateClient(user.AccessToken);
        using var anonymous = platform.CreateClient();
        var groove = DrumLoopWav(100, 2);
        var drums = await LibraryPackAsync(sellerClient, $"Boom Bap {word}", "drums", ("Dusty Groove.wav", groove), ("Kick.wav", KickWav()));
        var keys = await LibraryPackAsync(sellerClient, $"Late Night Keys {word}", "keys", ("Stabs.wav", MinorStabsWav(120)));
        Assert.Equal((true, "drums"), (drums.GetProperty("library").GetBoolean(), drums.GetProperty("instrument").GetString()));

        // Each file as analysis found it: the groove's tempo from its length (8 beats in 4.8 s), the kick a one-shot.
        var files = drums.GetProperty("files").EnumerateArray().Where(f => f.GetProperty("format").GetString() == "wav").ToList();
        Assert.Equal((100.0, 8), (files[0].GetProperty("loop").GetProperty("bpm").GetDouble(), files[0].GetProperty("loop").GetProperty("beats").GetInt32()));
        Assert.Equal(JsonValueKind.Null, files[1].GetProperty("loop").GetProperty("bpm").ValueKind);

        // Browsed by instrument, kind, tempo and key, by anyone.
        var all = await LoopsAsync(anonymous, $"q={word}");
        Assert.Equal(3, all.Count);
        var groovy = Assert.Single(await LoopsAsync(anonymous, $"q={word}&instrument=drums&kind=loop"));
        Assert.Equal(("Dusty Groove", $"Boom Bap {word}", "Loop Maker", "loop", 100.0, 8), (groovy.GetProperty("name").GetString(), groovy.GetProperty("pack").GetString(),
            groovy.GetProperty("seller").GetString(), groovy.GetProperty("kind").GetString(), groovy.GetProperty("bpm").GetDouble(), groovy.GetProperty("beats").GetInt32()));
        Assert.Equal(JsonValueKind.Null, groovy.GetProperty("key").ValueKind); // drums have no key
        Assert.Equal("Kick", Assert.Single(await LoopsAsync(anonymous, $"q={word}&kind=one-shot")).GetProperty("name").GetString());
        Assert.Equal("Dusty Groove", Assert.Single(await LoopsAsync(anonymous, $"q={word}&bpmMin=90&bpmMax=110")).GetProperty("name").GetString());
        var stabs = Assert.Single(await LoopsAsync(anonymous, $"q={word}&instrument=keys&key=Am&bpmMin=115&bpmMax=125"));
        Assert.Equal(("A minor", 120.0, 4), (stabs.GetProperty("key").GetString(), stabs.GetProperty("bpm").GetDouble(), stabs.GetProperty("beats").GetInt32()));
        Assert.Equal("Dusty Groove", Assert.Single(await LoopsAsync(anonymous, $"q=dusty+{word}")).GetProperty("name").GetString());
        var graph = await GraphQLApiTests.QueryAsync(anonymous, "query($q: String) { loops(q: $q, instrument: \"drums\", kind: \"one-shot\") { nodes { name kind bpm audioUrl } } }", new { q = word });
        var kick = Assert.Single(graph.GetProperty("data").GetProperty("loops").GetProperty("nodes").EnumerateArray());
        Assert.Equal(("Kick", "one-shot", JsonValueKind.Null), (kick.GetProperty("name").GetString(), kick.GetProperty("kind").GetString(), kick.GetProperty("bpm").ValueKind));

        // Heard as uploaded.
        var loopId = groovy.GetProperty("id").GetString()!;
        Assert.Equal($"/api/loops/{all.Single(l => l.GetProperty("name").GetString() == "Kick").GetProperty("id").GetString()}/audio", kick.GetProperty("audioUrl").GetString());
        var audio = await anonymous.GetAsync($"/api/loops/{loopId}/audio");
        Assert.Equal(groove, await audio.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", audio.Content.Headers.ContentDisposition?.DispositionType);

        // Taken into the user's audio: one free order of the pack, one asset per loop, the same one when taken again.
        var taken = await (await client.PostAsync($"/api/loops/{loopId}/library", null)).BodyAsync();
        var assetId = taken.GetProperty("asset").GetProperty("id").GetString()!;
        Assert.Equal(("Dusty Groove.wav", 100.0), (taken.GetProperty("asset").GetProperty("fileName").GetString(), taken.GetProperty("loop").GetProperty("bpm").GetDouble()));
        Assert.Equal(assetId, (await (await client.PostAsync($"/api/loops/{loopId}/library", null)).BodyAsync()).GetProperty("asset").GetProperty("id").GetString());
        var kickId = all.Single(l => l.GetProperty("name").GetString() == "Kick").GetProperty("id").GetString();
        var viaGraph = await GraphQLApiTests.QueryAsync(client, "mutation($id: ID!) { takeLoop(id: $id) { asset { id fileName } loop { kind } } }", new { id = kickId });
        Assert.Equal("Kick.wav", viaGraph.GetProperty("data").GetProperty("takeLoop").GetProperty("asset").GetProperty("fileName").GetString());
        var orders = await (await client.GetAsync("/api/orders?first=100")).BodyAsync();
        var order = Assert.Single(orders.GetProperty("items").EnumerateArray(), o => o.GetProperty("listingId").GetString() == drums.GetProperty("id").GetString());
        Assert.Equal(("completed", "free"), (order.GetProperty("status").GetString(), order.GetProperty("provider").GetString()));
        Assert.Equal("ready", (await AssetsApiTests.ProcessedAsync(client, assetId)).GetProperty("status").GetString());
        // The seller takes their own loop without an order.
        var own = await (await sellerClient.PostAsync($"/api/loops/{loopId}/library", null)).BodyAsync();
        Assert.NotEqual(assetId, own.GetProperty("asset").GetProperty("id").GetString());

        // Placed in a project at 120 BPM, as the studio drops it: a clip of its 8 beats at the project's tempo, following it.
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Loops")).GetProperty("id").GetString()!;
        var (track, clip) = (Guid.NewGuid(), Guid.NewGuid());
        var acks = await ProjectsApiTests.SubmitAsync(client, projectId,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Groove", kind = "audio" }),
            ProjectsApiTests.Op("clip.add", new { trackId = track, clipId = clip, start = 0, length = 4 * Rate, assetId }),
            ProjectsApiTests.Op("clip.stretch", new { clipId = clip, sourceTempo = 100.0 }));
        Assert.All(acks, a => Assert.True(a.GetProperty("status").GetString() == "applied", a.GetRawText()));
        var left = (await JobsApiTests.RenderedMixAsync(client, projectId))[0];
        // The kick of the second bar (source 2.4 s) lands on the project's fifth beat, 2.0 s.
        var onset = Enumerable.Range((int)(1.9 * Rate), Rate / 2).First(i => Math.Abs(left[i]) > 0.2);
        Assert.InRange((onset / (double)Rate) - 2.0, -0.01, 0.01);

        // A paused pack leaves the library: not listed, not heard, not taken.
        Assert.Equal(HttpStatusCode.OK, (await sellerClient.PostAsync($"/api/listings/{drums.GetProperty("id").GetString()}/pause", null)).StatusCode);
        Assert.Equal("Stabs", Assert.Single(await LoopsAsync(anonymous, $"q={word}")).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/loops/{loopId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/loops/{loopId}/audio")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/loops/{loopId}/library", null)).StatusCode);
        // What was taken stays the user's.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/assets/{assetId}")).StatusCode);
        Assert.Equal(keys.GetProperty("id").GetString(), stabs.GetProperty("listingId").GetString());
    }

    [Fact]
    public async Task BadLibraryPacksAndSearches_GetReasons()
    {
        var seller = await platform.RegisterAsync();
        using var client = platform.CreateClient(seller.AccessToken);
        var assetId = (await AssetsApiTests.UploadAsync(client, KickWav(), "kick.wav")).GetProperty("id").GetString()!;
        await AssetsApiTests.ProcessedAsync(client, assetId);

        async Task Refused(object body, string field)
        {
            var response = await client.PostAsJsonAsync("/api/listings", body);
            var problem = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, problem);
            Assert.Contains(field, problem, StringComparison.OrdinalIgnoreCase);
        }

        var free = new[] { MarketplaceApiTests.Tier("Free", 0, ["wav"]) };
        await Refused(new { type = "beat", title = "x", assetId, library = true, tiers = free }, "Only sample packs");
        await Refused(new { type = "samplePack", title = "x", assetIds = new[] { assetId }, library = true, tiers = new[] { MarketplaceApiTests.Tier("Paid", 100, ["wav"]) } }, "free");
        await Refused(new { type = "samplePack", title = "x", assetIds = new[] { assetId }, library = true, tiers = new[] { MarketplaceApiTests.Tier("Preview", 0, ["taggedMp3"]) } }, "wav");
        await Refused(new { type = "samplePack", title = "x", assetIds = new[] { assetId }, library = true, instrument = "kazoo", tiers = free }, "instrument");
        await Refused(new { type = "samplePack", title = "x", assetIds = new[] { assetId }, library = "yes", tiers = free }, "library");

        // A library pack cannot be priced afterwards, and a priced pack cannot join the library.
        var pack = await (await client.PostAsJsonAsync("/api/listings", new { type = "samplePack", title = "Free kit", assetIds = new[] { assetId }, library = true, tiers = free })).BodyAsync();
        var packId = pack.GetProperty("listing").GetProperty("id").GetString();
        var priced = await client.PatchAsJsonAsync($"/api/listings/{packId}", new { tiers = new[] { MarketplaceApiTests.Tier("Paid", 100, ["wav"]) } });
        Assert.Equal(HttpStatusCode.BadRequest, priced.StatusCode);
        var after = await (await client.GetAsync($"/api/listings/{packId}")).BodyAsync();
        Assert.Equal(0, after.GetProperty("tiers")[0].GetProperty("price").GetInt64()); // unchanged by the refused update

        foreach (var (query, field) in new[]
        {
            ("instrument=kazoo", "instrument"), ("kind=loops", "kind"), ("key=H+minor", "key"), ("bpmMin=130&bpmMax=120", "bpmMin"),
            ("bpmMin=-5", "bpmMin"), ("bpmMin=fast", "bpmMin"), ("after=garbage", "after"), ("first=0", "first"), ($"q={new string('a', 101)}", "q"),
        })
        {
            var response = await client.GetAsync($"/api/loops?{query}");
            var problem = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {problem}");
            Assert.Contains(field, problem, StringComparison.OrdinalIgnoreCase);
        }

        var graph = await GraphQLApiTests.QueryAsync(client, "{ loops(kind: \"drone\") { nodes { id } } }");
        Assert.Equal("BAD_USER_INPUT", graph.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }
}

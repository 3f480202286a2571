using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>Projects over REST: create, edit with ops, read back, history, collaborators and the bad input.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class ProjectsApiTests(SharedPlatform platform)
{
    [Fact]
    public async Task Create_Ops_Get_ReflectsEveryKindOfEdit()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var project = await CreateAsync(client, "Night Drive");
        Assert.Equal(("Night Drive", 120.0, 48000, 0L), (project.GetProperty("name").GetString(), project.GetProperty("tempo").GetDouble(),
            project.GetProperty("sampleRate").GetInt32(), project.GetProperty("version").GetInt64()));
        var id = project.GetProperty("id").GetString()!;
        var assetId = (await AssetsApiTests.UploadAsync(client, AssetsApiTests.StereoSineWav(-20, 1), "beat.wav")).GetProperty("id").GetString();

        var (drums, synth, bus, clip, midi, effect) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var acks = await SubmitAsync(client, id,
            Op("track.add", new { trackId = drums, name = "Drums", kind = "audio" }),
            Op("track.add", new { trackId = synth, name = "Synth", kind = "midi", color = "#FF8800" }),
            Op("track.add", new { trackId = bus, name = "Reverb bus", kind = "bus" }),
            Op("track.set", new { trackId = drums, volumeDb = -6.5, pan = -0.25, mute = false, solo = true, output = bus.ToString() }),
            Op("clip.add", new { trackId = drums, clipId = clip, start = 0, length = 96000, assetId, offset = 100 }),
            Op("clip.set", new { clipId = clip, gainDb = -3, fadeIn = new { length = 4800, curve = "sCurve" }, fadeOut = new { length = 9600 } }),
            Op("clip.split", new { clipId = clip, at = 48000 }),
            Op("clip.add", new { trackId = synth, clipId = midi, start = 0, length = 192000, notes = new[] { new { pitch = 60, velocity = 100, start = 0, length = 24000 } } }),
            Op("note.add", new { clipId = midi, pitch = 64, velocity = 90, start = 24000, length = 24000 }),
            Op("effect.add", new { trackId = bus, effectId = effect, type = "reverb", parameters = new Dictionary<string, double> { ["mix"] = 0.3 } }),
            Op("effect.set", new { effectId = effect, parameters = new Dictionary<string, double> { ["roomSize"] = 0.8 } }),
            Op("effect.bypass", new { effectId = effect, bypass = true }),
            Op("project.set", new { tempo = 92, timeSignature = new { numerator = 6, denominator = 8 }, key = "F# minor" }),
            Op("track.reorder", new { trackId = bus, index = 0 }),
            Op("comment.add", new { text = "Kick is late here", position = 48000, trackId = drums }));
        Assert.All(acks, a => Assert.Equal("applied", a.GetProperty("status").GetString()));
        Assert.Equal(Enumerable.Range(1, 15).Select(v => (long)v), acks.Select(a => a.GetProperty("version").GetInt64()));

        var state = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();
        Assert.Equal(15, state.GetProperty("version").GetInt64());
        Assert.Equal((92.0, 6, 8, "F# minor"), (state.GetProperty("tempo").GetDouble(), state.GetProperty("timeSignature").GetProperty("numerator").GetInt32(),
            state.GetProperty("timeSignature").GetProperty("denominator").GetInt32(), state.GetProperty("key").GetString()));
        var tracks = state.GetProperty("tracks").EnumerateArray().ToList();
        Assert.Equal(["Reverb bus", "Drums", "Synth"], tracks.Select(t => t.GetProperty("name").GetString()));
        var drumTrack = tracks[1];
        Assert.Equal((-6.5, -0.25, true, bus.ToString()), (drumTrack.GetProperty("volumeDb").GetDouble(), drumTrack.GetProperty("pan").GetDouble(),
            drumTrack.GetProperty("solo").GetBoolean(), drumTrack.GetProperty("output").GetString()));
        var halves = drumTrack.GetProperty("clips").EnumerateArray().OrderBy(c => c.GetProperty("start").GetInt64()).ToList();
        Assert.Equal([(0L, 48000L, 100L), (48000L, 48000L, 48100L)],
            halves.Select(c => (c.GetProperty("start").GetInt64(), c.GetProperty("length").GetInt64(), c.GetProperty("offset").GetInt64())));
        Assert.Equal(("sCurve", 0L), (halves[0].GetProperty("fadeIn").GetProperty("curve").GetString(), halves[0].GetProperty("fadeOut").GetProperty("length").GetInt64()));
        Assert.Equal(9600, halves[1].GetProperty("fadeOut").GetProperty("length").GetInt64());
        Assert.Equal([60, 64], tracks[2].GetProperty("clips")[0].GetProperty("notes").EnumerateArray().Select(n => n.GetProperty("pitch").GetInt32()).Order());
        var reverb = tracks[0].GetProperty("effects")[0];
        Assert.Equal((0.3, 0.8, true), (reverb.GetProperty("parameters").GetProperty("mix").GetDouble(), reverb.GetProperty("parameters").GetProperty("roomSize").GetDouble(),
            reverb.GetProperty("bypass").GetBoolean()));
        Assert.Equal("Kick is late here", state.GetProperty("comments")[0].GetProperty("text").GetString());

        // The response carries the ops that applied, as the log keeps them: a track.add without an id gets one.
        var added = await client.PostAsJsonAsync($"/api/projects/{id}/ops", new { ops = new[] { Op("track.add", new { name = "Keys" }) } });
        var applied = Assert.Single((await added.BodyAsync()).GetProperty("ops").EnumerateArray());
        Assert.Equal((16L, "track.add", "Keys"), (applied.GetProperty("version").GetInt64(), applied.GetProperty("kind").GetString(),
            applied.GetProperty("payload").GetProperty("name").GetString()));
        Assert.True(Guid.TryParse(applied.GetProperty("payload").GetProperty("trackId").GetString(), out _));
    }

    [Fact]
    public async Task Ops_AreIdempotent_AndRejectionsSayWhy_AndLeaveStateAlone()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var id = (await CreateAsync(client, "Idempotent")).GetProperty("id").GetString()!;
        var add = Op("track.add", new { name = "Bass" }, opId: "op-1");

        var first = await SubmitAsync(client, id, add);
        var retry = await SubmitAsync(client, id, add);
        Assert.Equal(("applied", 1L), (first[0].GetProperty("status").GetString(), first[0].GetProperty("version").GetInt64()));
        Assert.Equal(("duplicate", 1L), (retry[0].GetProperty("status").GetString(), retry[0].GetProperty("version").GetInt64()));

        var rejected = await SubmitAsync(client, id,
            Op("track.nonsense", new { }),
            Op("track.set", new { trackId = Guid.NewGuid(), volumeDb = 0 }),
            Op("track.add", new { name = "x", volumeDb = "loud" }),
            Op("project.set", new { tempo = 5000 }),
            Op("track.add", new { name = "Bad", color = "red" }),
            Op("clip.add", new { trackId = Guid.NewGuid(), start = -5, length = 10 }),
            Op("project.set", new { tempo = "fast" }),
            Op("track.add", new { name = new string('n', 500) }),
            Op("effect.add", new { type = "reverb", parameters = new Dictionary<string, double> { ["decay"] = 2 } }),
            Op("effect.add", new { type = "compressor", parameters = new Dictionary<string, double> { ["ratio"] = 100 } }));
        Assert.All(rejected, a => Assert.Equal("rejected", a.GetProperty("status").GetString()));
        Assert.All(rejected, a => Assert.False(string.IsNullOrWhiteSpace(a.GetProperty("reason").GetString())));
        Assert.Contains("Unknown op kind", rejected[0].GetProperty("reason").GetString());
        Assert.Contains("no longer exists", rejected[1].GetProperty("reason").GetString());
        Assert.Contains("tempo", rejected[3].GetProperty("reason").GetString());

        var state = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();
        Assert.Equal(1, state.GetProperty("version").GetInt64());
        Assert.Equal(120, state.GetProperty("tempo").GetDouble());
        Assert.Single(state.GetProperty("tracks").EnumerateArray());
    }

    [Fact]
    public async Task OpLog_ReturnsOpsSinceAVersion_WithNormalizedIds()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var id = (await CreateAsync(client, "History")).GetProperty("id").GetString()!;
        await SubmitAsync(client, id, Op("track.add", new { name = "A" }), Op("track.add", new { name = "B" }), Op("track.add", new { name = "C" }));

        var page = await (await client.GetAsync($"/api/projects/{id}/ops?since=1")).BodyAsync();
        var ops = page.GetProperty("ops").EnumerateArray().ToList();
        Assert.Equal([2L, 3L], ops.Select(o => o.GetProperty("version").GetInt64()));
        Assert.Equal(3, page.GetProperty("latestVersion").GetInt64());
        Assert.False(page.GetProperty("hasMore").GetBoolean());
        // The server chose the track ids; the log records them so a replay makes the same ones.
        Assert.All(ops, o => Assert.True(Guid.TryParse(o.GetProperty("payload").GetProperty("trackId").GetString(), out _)));
        Assert.Equal(owner.User.Id.ToString(), ops[0].GetProperty("userId").GetString());
    }

    [Fact]
    public async Task Collaborators_RolesDecideWhatTheyMayDo_OutsidersSee404()
    {
        var owner = await platform.RegisterAsync();
        var editor = await platform.RegisterAsync();
        var viewer = await platform.RegisterAsync();
        var commenter = await platform.RegisterAsync(verified: false);
        var outsider = await platform.RegisterAsync();
        using var ownerClient = platform.CreateClient(owner.AccessToken);
        var id = (await CreateAsync(ownerClient, "Band")).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await ownerClient.PutAsJsonAsync($"/api/projects/{id}/collaborators/{editor.User.Id}", new { role = "editor" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ownerClient.PutAsJsonAsync($"/api/projects/{id}/collaborators/{viewer.User.Id}", new { role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await ownerClient.PostAsJsonAsync($"/api/projects/{id}/invitations", new { email = commenter.User.Email, role = "commenter" })).StatusCode);
        await platform.VerifyEmailAsync(commenter.User.Email);
        var accepted = await platform.CreateClient(commenter.AccessToken).PostAsJsonAsync("/api/invitations/accept",
            new { token = await platform.MailedTokenAsync(commenter.User.Email, "invitations/accept") });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        using var editorClient = platform.CreateClient(editor.AccessToken);
        Assert.Equal("applied", (await SubmitAsync(editorClient, id, Op("track.add", new { name = "Keys" })))[0].GetProperty("status").GetString());

        using var viewerClient = platform.CreateClient(viewer.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await viewerClient.GetAsync($"/api/projects/{id}")).StatusCode);
        var viewerAck = (await SubmitAsync(viewerClient, id, Op("comment.add", new { text = "hi" })))[0];
        Assert.Equal("rejected", viewerAck.GetProperty("status").GetString());

        using var commenterClient = platform.CreateClient(commenter.AccessToken);
        var commenterAcks = await SubmitAsync(commenterClient, id, Op("comment.add", new { text = "Love it" }), Op("track.add", new { name = "Sneaky" }));
        Assert.Equal(["applied", "rejected"], commenterAcks.Select(a => a.GetProperty("status").GetString()));

        using var outsiderClient = platform.CreateClient(outsider.AccessToken);
        foreach (var response in new[]
        {
            await outsiderClient.GetAsync($"/api/projects/{id}"),
            await outsiderClient.GetAsync($"/api/projects/{id}/ops"),
            await outsiderClient.PostAsJsonAsync($"/api/projects/{id}/ops", new { ops = new[] { Op("track.add", new { name = "x" }) } }),
            await outsiderClient.DeleteAsync($"/api/projects/{id}"),
            await outsiderClient.GetAsync($"/api/projects/{Guid.NewGuid()}"),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // Editors cannot manage collaborators; lists show owned and shared projects.
        Assert.Equal(HttpStatusCode.Forbidden, (await editorClient.PutAsJsonAsync($"/api/projects/{id}/collaborators/{outsider.User.Id}", new { role = "editor" })).StatusCode);
        var shared = await (await editorClient.GetAsync("/api/projects?scope=shared")).BodyAsync();
        Assert.Contains(shared.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetString() == id && p.GetProperty("role").GetString() == "editor");
        var owned = await (await ownerClient.GetAsync("/api/projects")).BodyAsync();
        Assert.Contains(owned.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetString() == id);

        // Removed: back to 404.
        Assert.Equal(HttpStatusCode.NoContent, (await ownerClient.DeleteAsync($"/api/projects/{id}/collaborators/{editor.User.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await editorClient.GetAsync($"/api/projects/{id}")).StatusCode);
    }

    [Fact]
    public async Task Patch_Delete_AndBadInput()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var id = (await CreateAsync(client, "Draft")).GetProperty("id").GetString()!;

        var patched = await client.PatchAsJsonAsync($"/api/projects/{id}", new { name = "Final", tempo = 140 });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var body = await patched.BodyAsync();
        Assert.Equal(("Final", 140.0, 1L), (body.GetProperty("name").GetString(), body.GetProperty("tempo").GetDouble(), body.GetProperty("version").GetInt64()));

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PatchAsJsonAsync($"/api/projects/{id}", new { tempo = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/projects", new { name = "x", sampleRate = 22050 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/projects", new StringContent("{\"name\": 5}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/projects/{id}/ops", new { ops = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/projects/{id}/ops",
            new { ops = Enumerable.Range(0, 101).Select(i => Op("track.add", new { name = $"t{i}" })).ToArray() })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsJsonAsync($"/api/projects/{id}/collaborators/{Guid.NewGuid()}", new { role = "owner" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync($"/api/projects/{id}/collaborators/{Guid.NewGuid()}", new { role = "editor" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/projects/{id}/ops?since=-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.CreateClient().GetAsync($"/api/projects/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/projects/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/projects/{id}")).StatusCode);
        var owned = await (await client.GetAsync("/api/projects")).BodyAsync();
        Assert.DoesNotContain(owned.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetString() == id);
    }

    /// <summary>Reasons a client can show: in the op's and the request's terms, never our .NET type names.</summary>
    [Fact]
    public async Task BadInput_IsRejected_WithReasonsInTheClientsTerms()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var id = (await CreateAsync(client, "Reasons")).GetProperty("id").GetString()!;
        var acks = await SubmitAsync(client, id,
            Op("project.set", new { tempo = "fast" }),
            Op("project.set", new { bogus = 1 }),
            Op("clip.add", new { trackId = Guid.NewGuid() }),
            Op("track.rename", new { trackId = Guid.NewGuid(), name = (string?)null }));
        Assert.All(acks, a => Assert.Equal("rejected", a.GetProperty("status").GetString()));
        var reasons = acks.Select(a => a.GetProperty("reason").GetString()!).ToList();
        Assert.Equal("The payload does not fit this kind of op (at $.tempo): the value there has the wrong type.", reasons[0]);
        Assert.Equal("The payload does not fit this kind of op (at $.bogus): that field is not one of this op's.", reasons[1]);
        Assert.Equal("The payload does not fit this kind of op: required fields are missing: 'start', 'length'.", reasons[2]);
        Assert.EndsWith(": that field must not be null.", reasons[3], StringComparison.Ordinal);
        Assert.All(reasons, r => Assert.DoesNotContain("Jacameno.", r, StringComparison.Ordinal));

        async Task<string> DetailOf(HttpResponseMessage response, HttpStatusCode status)
        {
            Assert.Equal(status, response.StatusCode);
            return (await response.BodyAsync()).GetProperty("detail").GetString()!;
        }

        Assert.Equal("The body is empty; send a JSON object.",
            await DetailOf(await client.PostAsync($"/api/projects/{id}/ops", new StringContent("null", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest));
        Assert.Equal("first must be a whole number; \"many\" is not.", await DetailOf(await client.GetAsync("/api/projects?first=many"), HttpStatusCode.BadRequest));
        Assert.Equal("since must be a whole number; \"99999999999999999999\" is not.",
            await DetailOf(await client.GetAsync($"/api/projects/{id}/ops?since=99999999999999999999"), HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Clips_PlaceOnlyTheSubmittersOwnAudio_OrAudioTheProjectAlreadyPlays()
    {
        var owner = await platform.RegisterAsync();
        var editor = await platform.RegisterAsync();
        using var ownerClient = platform.CreateClient(owner.AccessToken);
        using var editorClient = platform.CreateClient(editor.AccessToken);
        var id = (await CreateAsync(ownerClient, "Whose audio")).GetProperty("id").GetString()!;
        await ownerClient.PutAsJsonAsync($"/api/projects/{id}/collaborators/{editor.User.Id}", new { role = "editor" });
        var ownersAsset = (await AssetsApiTests.UploadAsync(ownerClient, AssetsApiTests.StereoSineWav(-20, 1), "mine.wav")).GetProperty("id").GetString();
        var track = Guid.NewGuid();
        await SubmitAsync(ownerClient, id, Op("track.add", new { trackId = track, name = "T", kind = "audio" }));

        // The editor cannot place the owner's asset before it is in the project, nor an id that is no asset.
        var refused = await SubmitAsync(editorClient, id,
            Op("clip.add", new { trackId = track, start = 0, length = 4800, assetId = ownersAsset }, clientId: "editor"),
            Op("clip.add", new { trackId = track, start = 0, length = 4800, assetId = Guid.NewGuid() }, clientId: "editor"));
        Assert.All(refused, a => Assert.Contains("not one of your uploads", a.GetProperty("reason").GetString()));

        // Once the owner has placed it, any editor may use it again.
        Assert.Equal("applied", (await SubmitAsync(ownerClient, id, Op("clip.add", new { trackId = track, start = 0, length = 4800, assetId = ownersAsset })))[0].GetProperty("status").GetString());
        Assert.Equal("applied", (await SubmitAsync(editorClient, id, Op("clip.add", new { trackId = track, start = 9600, length = 4800, assetId = ownersAsset }, clientId: "editor")))[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Sidechain_KeysACompressorByAnotherTrack_Validated_AndUndoable()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var id = (await CreateAsync(client, "Ducking")).GetProperty("id").GetString()!;
        var (bass, kick, compressor, eq) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await SubmitAsync(client, id,
            Op("track.add", new { trackId = bass, name = "Bass", kind = "audio" }),
            Op("track.add", new { trackId = kick, name = "Kick", kind = "audio" }),
            Op("effect.add", new { trackId = bass, effectId = compressor, type = "compressor" }),
            Op("effect.add", new { trackId = bass, effectId = eq, type = "eq-peak" }));
        var acks = await SubmitAsync(client, id,
            Op("effect.sidechain", new { effectId = compressor, trackId = kick }),
            Op("effect.sidechain", new { effectId = eq, trackId = kick }),
            Op("effect.sidechain", new { effectId = compressor, trackId = bass }),
            Op("effect.sidechain", new { effectId = compressor, trackId = Guid.NewGuid() }));
        Assert.Equal(["applied", "rejected", "rejected", "rejected"], acks.Select(a => a.GetProperty("status").GetString()));
        Assert.Contains("Only a compressor", acks[1].GetProperty("reason").GetString());
        Assert.Contains("its own track", acks[2].GetProperty("reason").GetString());
        var project = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();
        Assert.Equal(kick.ToString(), project.GetProperty("tracks")[0].GetProperty("effects")[0].GetProperty("sidechainTrackId").GetString());

        var undo = await SubmitAsync(client, id, Op("undo", new { }, baseVersion: acks[0].GetProperty("version").GetInt64()));
        Assert.True(undo[0].GetProperty("status").GetString() == "applied", undo[0].GetRawText());
        project = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();
        Assert.Equal(JsonValueKind.Null, project.GetProperty("tracks")[0].GetProperty("effects")[0].GetProperty("sidechainTrackId").ValueKind);
    }

    internal static async Task<JsonElement> CreateAsync(HttpClient client, string name)
    {
        var response = await client.PostAsJsonAsync("/api/projects", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.BodyAsync();
    }

    internal static object Op(string kind, object payload, string? opId = null, string clientId = "test-client", long baseVersion = 0) =>
        new { clientId, opId = opId ?? Guid.NewGuid().ToString("N"), baseVersion, kind, payload };

    /// <summary>
    /// One edit of an edit load (a project.set of the tempo, op id <paramref name="opId"/>): the version it was applied at, or
    /// null when it was refused or the request failed (a load under faults counts those).
    /// </summary>
    internal static async Task<long?> TryEditAsync(HttpClient client, string projectId, string opId, string clientId, int n)
    {
        try
        {
            var response = await client.PostAsJsonAsync($"/api/projects/{projectId}/ops",
                new { ops = new[] { Op("project.set", new { tempo = 60 + (n % 120) }, opId, clientId) } });
            var ack = response.StatusCode == HttpStatusCode.OK ? (await response.BodyAsync()).GetProperty("acks")[0] : default;
            return ack.ValueKind == JsonValueKind.Object && ack.GetProperty("status").GetString() == "applied" ? ack.GetProperty("version").GetInt64() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// The project's whole op log, page by page: each op's id and the version it was applied at. Right after silos
    /// were replaced, a frontend answers 503 ("part of the cluster is restarting; try again in a few seconds") until
    /// its gateway list catches up: it is asked again for up to 30 s, as that answer says.
    /// </summary>
    internal static async Task<Dictionary<string, long>> LoggedOpsAsync(HttpClient client, string projectId)
    {
        var logged = new Dictionary<string, long>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (long since = 0; ;)
        {
            var response = await client.GetAsync($"/api/projects/{projectId}/ops?since={since}&max=500");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
                continue;
            }

            Assert.True(response.IsSuccessStatusCode, $"GET ops since {since}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var page = await response.BodyAsync();
            foreach (var op in page.GetProperty("ops").EnumerateArray())
            {
                logged[op.GetProperty("opId").GetString()!] = since = op.GetProperty("version").GetInt64();
            }

            if (!page.GetProperty("hasMore").GetBoolean())
            {
                return logged;
            }
        }
    }

    internal static async Task<List<JsonElement>> SubmitAsync(HttpClient client, string projectId, params object[] ops)
    {
        var response = await client.PostAsJsonAsync($"/api/projects/{projectId}/ops", new { ops });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.BodyAsync()).GetProperty("acks").EnumerateArray().ToList();
    }
}

[Collection(EmbeddedPlatformCollection.Name)]
public sealed class ProjectHistoryTests(SharedPlatform platform)
{
    [Fact]
    public async Task NamedVersions_PastVersions_RestoreLive_AndFork()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var id = (await ProjectsApiTests.CreateAsync(client, "History")).GetProperty("id").GetString()!;
        var (drums, bass) = (Guid.NewGuid(), Guid.NewGuid());
        await ProjectsApiTests.SubmitAsync(client, id,
            ProjectsApiTests.Op("track.add", new { trackId = drums, name = "Drums", kind = "midi" }),
            ProjectsApiTests.Op("track.add", new { trackId = bass, name = "Bass", kind = "midi" }),
            ProjectsApiTests.Op("clip.add", new { trackId = bass, start = 0, length = 48000 }));
        var atThree = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();

        var named = await client.PostAsJsonAsync($"/api/projects/{id}/snapshots", new { name = "Rough mix" });
        Assert.Equal(HttpStatusCode.Created, named.StatusCode);
        Assert.Equal(3, (await named.BodyAsync()).GetProperty("version").GetInt64());

        await ProjectsApiTests.SubmitAsync(client, id,
            ProjectsApiTests.Op("track.remove", new { trackId = bass }),
            ProjectsApiTests.Op("project.set", new { tempo = 90 }));

        var past = await (await client.GetAsync($"/api/projects/{id}/versions/3")).BodyAsync();
        Assert.Equal(atThree.GetProperty("tracks").GetRawText(), past.GetProperty("tracks").GetRawText());
        Assert.Equal(3, past.GetProperty("version").GetInt64());
        var listed = await (await client.GetAsync($"/api/projects/{id}/snapshots")).BodyAsync();
        Assert.Equal("Rough mix", Assert.Single(listed.EnumerateArray()).GetProperty("name").GetString());

        // A collaborator in the session sees the restore as one op and lands on the same project.
        await using var live = await StudioClient.ConnectAsync(platform.Server, owner.AccessToken);
        await live.JoinAsync(Guid.Parse(id));
        var restore = await client.PostAsync($"/api/projects/{id}/versions/3/restore", null);
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        Assert.Equal(6, (await restore.BodyAsync()).GetProperty("version").GetInt64());
        var now = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();
        Assert.Equal(atThree.GetProperty("tracks").GetRawText(), now.GetProperty("tracks").GetRawText());
        Assert.Equal(120, now.GetProperty("tempo").GetDouble());
        await live.WaitForVersionAsync(6);
        Assert.Equal(now.GetProperty("tracks").GetRawText(), System.Text.Json.JsonSerializer.Serialize(live.Replica.Tracks, StudioClient.WireJson));

        // Clients cannot send the restore op themselves.
        var forged = await ProjectsApiTests.SubmitAsync(client, id, ProjectsApiTests.Op("project.restore", new { version = 1 }));
        Assert.Equal("rejected", forged[0].GetProperty("status").GetString());

        // A fork from version 2 belongs to whoever forks it and credits its source.
        var editor = await platform.RegisterAsync();
        await client.PutAsJsonAsync($"/api/projects/{id}/collaborators/{editor.User.Id}", new { role = "viewer" });
        using var viewerClient = platform.CreateClient(editor.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewerClient.PostAsync($"/api/projects/{id}/versions/1/restore", null)).StatusCode);
        var forked = await viewerClient.PostAsJsonAsync($"/api/projects/{id}/fork", new { version = 2, name = "My take" });
        Assert.Equal(HttpStatusCode.Created, forked.StatusCode);
        var fork = await forked.BodyAsync();
        Assert.Equal(("My take", 0L, editor.User.Id.ToString()), (fork.GetProperty("name").GetString(), fork.GetProperty("version").GetInt64(), fork.GetProperty("ownerId").GetString()));
        Assert.Equal((id, 2L), (fork.GetProperty("forkedFrom").GetProperty("projectId").GetString(), fork.GetProperty("forkedFrom").GetProperty("version").GetInt64()));
        Assert.Equal(["Drums", "Bass"], fork.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Empty(fork.GetProperty("tracks")[1].GetProperty("clips").EnumerateArray());

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/projects/{id}/versions/99")).StatusCode);
        var outsider = await platform.RegisterAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await platform.CreateClient(outsider.AccessToken).PostAsJsonAsync($"/api/projects/{id}/fork", new { })).StatusCode);
    }
}

[Collection(EmbeddedPlatformCollection.Name)]
public sealed class UndoRedoTests(SharedPlatform platform)
{
    [Fact]
    public async Task UndoRedo_PerUser_AsNewOps_RefusingToClobberOthers()
    {
        var alice = await platform.RegisterAsync();
        var bob = await platform.RegisterAsync();
        using var a = platform.CreateClient(alice.AccessToken);
        using var b = platform.CreateClient(bob.AccessToken);
        var id = (await ProjectsApiTests.CreateAsync(a, "Undo")).GetProperty("id").GetString()!;
        await a.PutAsJsonAsync($"/api/projects/{id}/collaborators/{bob.User.Id}", new { role = "editor" });
        await using var live = await StudioClient.ConnectAsync(platform.Server, alice.AccessToken);
        await live.JoinAsync(Guid.Parse(id));

        var (track, clip) = (Guid.NewGuid(), Guid.NewGuid());
        await ProjectsApiTests.SubmitAsync(a, id,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Keys", kind = "midi" }),
            ProjectsApiTests.Op("clip.add", new { trackId = track, clipId = clip, start = 0, length = 96000, notes = new[] { new { pitch = 60, velocity = 90, start = 60000, length = 1000 } } }),
            ProjectsApiTests.Op("track.set", new { trackId = track, volumeDb = -6 }));
        await ProjectsApiTests.SubmitAsync(b, id, ProjectsApiTests.Op("track.rename", new { trackId = track, name = "Bob's keys" }));

        // Alice's undo reverts her volume change, not Bob's rename; it is a new op (version 5) that says so.
        var undo = (await ProjectsApiTests.SubmitAsync(a, id, ProjectsApiTests.Op("undo", new { })))[0];
        Assert.Equal(("applied", 5L), (undo.GetProperty("status").GetString(), undo.GetProperty("version").GetInt64()));
        var state = await Track(a, id);
        Assert.Equal((0.0, "Bob's keys"), (state.GetProperty("volumeDb").GetDouble(), state.GetProperty("name").GetString()));
        var op = (await (await a.GetAsync($"/api/projects/{id}/ops?since=4")).BodyAsync()).GetProperty("ops")[0];
        Assert.Equal(("track.set", "undo"), (op.GetProperty("kind").GetString(), op.GetProperty("cause").GetString()));

        await ProjectsApiTests.SubmitAsync(a, id, ProjectsApiTests.Op("redo", new { }));
        Assert.Equal(-6, (await Track(a, id)).GetProperty("volumeDb").GetDouble());

        // Split, then undo: the parts merge back, the note returns to its place.
        await ProjectsApiTests.SubmitAsync(a, id, ProjectsApiTests.Op("clip.split", new { clipId = clip, at = 48000 }));
        Assert.Equal(2, (await Track(a, id)).GetProperty("clips").GetArrayLength());
        await ProjectsApiTests.SubmitAsync(a, id, ProjectsApiTests.Op("undo", new { }));
        var merged = (await Track(a, id)).GetProperty("clips")[0];
        Assert.Equal((96000L, 60000L), (merged.GetProperty("length").GetInt64(), merged.GetProperty("notes")[0].GetProperty("start").GetInt64()));

        // Removing the track and undoing brings it back whole; redo removes it again.
        await ProjectsApiTests.SubmitAsync(a, id, ProjectsApiTests.Op("track.remove", new { trackId = track }));
        await ProjectsApiTests.SubmitAsync(a, id, ProjectsApiTests.Op("undo", new { }));
        var back = await Track(a, id);
        Assert.Equal(("Bob's keys", 1, -6.0), (back.GetProperty("name").GetString(), back.GetProperty("clips").GetArrayLength(), back.GetProperty("volumeDb").GetDouble()));

        // Bob changes what Alice's next undo would put back: her undo is refused with the reason.
        await ProjectsApiTests.SubmitAsync(a, id, ProjectsApiTests.Op("track.set", new { trackId = track, pan = 0.5 }));
        await ProjectsApiTests.SubmitAsync(b, id, ProjectsApiTests.Op("track.set", new { trackId = track, pan = -0.5 }));
        var refused = (await ProjectsApiTests.SubmitAsync(a, id, ProjectsApiTests.Op("undo", new { })))[0];
        Assert.Equal("rejected", refused.GetProperty("status").GetString());
        Assert.Contains("Someone else changed", refused.GetProperty("reason").GetString());
        Assert.Equal(-0.5, (await Track(a, id)).GetProperty("pan").GetDouble());

        var carol = await platform.RegisterAsync();
        await a.PutAsJsonAsync($"/api/projects/{id}/collaborators/{carol.User.Id}", new { role = "editor" });
        var nothing = (await ProjectsApiTests.SubmitAsync(platform.CreateClient(carol.AccessToken), id, ProjectsApiTests.Op("undo", new { })))[0];
        Assert.Equal(("rejected", "Nothing to undo."), (nothing.GetProperty("status").GetString(), nothing.GetProperty("reason").GetString()));
        var forged = (await ProjectsApiTests.SubmitAsync(a, id, ProjectsApiTests.Op("track.restore", new { track = new { id = Guid.NewGuid() }, index = 0 })))[0];
        Assert.Equal("rejected", forged.GetProperty("status").GetString());

        // The live replica applied every undo and redo op and matches the server.
        var server = await (await a.GetAsync($"/api/projects/{id}")).Content.ReadFromJsonAsync<Jacameno.Projects.ProjectDocument>(StudioClient.WireJson);
        await live.WaitForVersionAsync(server!.Version);
        Assert.Equal(JsonSerializer.Serialize(server.Tracks, StudioClient.WireJson), JsonSerializer.Serialize(live.Replica.Tracks, StudioClient.WireJson));
    }

    private static async Task<JsonElement> Track(HttpClient client, string id) =>
        (await (await client.GetAsync($"/api/projects/{id}")).BodyAsync()).GetProperty("tracks")[0];
}

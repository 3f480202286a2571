using System.Net.Http.Json;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>
/// Ops as a way to take what is not yours (placing another user's upload in your project to play or export it), or to
/// make the renderer work without end (automation lanes past their limits, values that are not numbers).
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class ProjectOpAttacks(SharedPlatform platform)
{
    [Theory]
    [InlineData("assetId")]
    [InlineData("AssetId")]
    [InlineData("ASSETID")]
    [InlineData("assetid")]
    [InlineData("aSsEtId")]
    public async Task AnotherUsersAsset_InAClip_IsRefused_InEveryCasing(string field)
    {
        using var victim = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var theirs = (await AssetsApiTests.UploadAsync(victim, AssetsApiTests.StereoSineWav(-20, 1), "theirs.wav")).GetProperty("id").GetString()!;
        await AssetsApiTests.ProcessedAsync(victim, theirs);

        using var attacker = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var project = (await ProjectsApiTests.CreateAsync(attacker, "heist")).GetProperty("id").GetString()!;
        var track = Guid.NewGuid();
        var payload = new Dictionary<string, object> { ["trackId"] = track, ["start"] = 0, ["length"] = 48000, [field] = theirs };
        var acks = await ProjectsApiTests.SubmitAsync(attacker, project,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "A", kind = "audio" }),
            ProjectsApiTests.Op("clip.add", payload, baseVersion: 1));
        Assert.Equal("applied", acks[0].GetProperty("status").GetString());
        Assert.Equal("rejected", acks[1].GetProperty("status").GetString());
        Assert.Contains("not one of your uploads", acks[1].GetProperty("reason").GetString(), StringComparison.Ordinal);

        var document = await (await attacker.GetAsync($"/api/projects/{project}")).BodyAsync();
        Assert.Equal(0, document.GetProperty("tracks")[0].GetProperty("clips").GetArrayLength());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await attacker.GetAsync($"/api/projects/{project}/assets/{theirs}/audio")).StatusCode);
    }

    /// <summary>A sampler's zone is another way to place audio: another user's upload is refused there too, in any casing, among good zones.</summary>
    [Theory]
    [InlineData("assetId")]
    [InlineData("ASSETID")]
    public async Task AnotherUsersAsset_InAnInstrumentsZone_IsRefused(string field)
    {
        using var victim = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var theirs = await InstrumentsApiTests.SampleAsync(victim, 440, 0.1, "theirs.wav");
        using var attacker = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var mine = await InstrumentsApiTests.SampleAsync(attacker, 440, 0.1, "mine.wav");
        var project = (await ProjectsApiTests.CreateAsync(attacker, "heist")).GetProperty("id").GetString()!;
        var (track, sampler) = (Guid.NewGuid(), Guid.NewGuid());
        await ProjectsApiTests.SubmitAsync(attacker, project,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Keys", kind = "midi" }),
            ProjectsApiTests.Op("effect.add", new { trackId = track, effectId = sampler, type = "sampler" }));
        var acks = await ProjectsApiTests.SubmitAsync(attacker, project, ProjectsApiTests.Op("effect.zones", new Dictionary<string, object>
        {
            ["effectId"] = sampler,
            ["zones"] = new object[] { new Dictionary<string, object> { [field] = mine }, new Dictionary<string, object> { [field] = theirs } },
        }, baseVersion: 2));
        Assert.Equal("rejected", acks[0].GetProperty("status").GetString());
        Assert.Contains("not one of your uploads", acks[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await attacker.GetAsync($"/api/projects/{project}/assets/{theirs}/audio")).StatusCode);
    }

    [Fact]
    public async Task AutomationLanes_PastTheirLimits_OrAimedElsewhere_AreRefused_WithAReason()
    {
        using var attacker = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var project = (await ProjectsApiTests.CreateAsync(attacker, "lanes")).GetProperty("id").GetString()!;
        using var other = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var theirProject = (await ProjectsApiTests.CreateAsync(other, "theirs")).GetProperty("id").GetString()!;
        var (track, theirEffect) = (Guid.NewGuid(), Guid.NewGuid());
        await ProjectsApiTests.SubmitAsync(other, theirProject, ProjectsApiTests.Op("effect.add", new { effectId = theirEffect, type = "gain" }));
        await ProjectsApiTests.SubmitAsync(attacker, project, ProjectsApiTests.Op("track.add", new { trackId = track, name = "A", kind = "audio" }));

        object Lane(string target, object points) => ProjectsApiTests.Op("automation.set", new { trackId = track, target, points });
        var tooMany = Enumerable.Range(0, 1001).Select(i => new { time = i, value = 0.0 }).ToArray();
        var acks = await ProjectsApiTests.SubmitAsync(attacker, project,
            Lane("volume", tooMany),
            Lane("volume", new[] { new { time = -1L, value = 0.0 } }),
            Lane("volume", new[] { new { time = long.MaxValue, value = 0.0 } }),
            Lane($"effect:{theirEffect}:gainDb", new[] { new { time = 0L, value = 0.0 } }),
            Lane("effect:../../etc:gainDb", new[] { new { time = 0L, value = 0.0 } }),
            Lane(new string('v', 10_000), new[] { new { time = 0L, value = 0.0 } }),
            ProjectsApiTests.Op("automation.set", new { trackId = track, target = "volume", points = new[] { new { time = 0, value = "NaN" } } }),
            ProjectsApiTests.Op("automation.set", new { trackId = Guid.NewGuid(), target = "volume", points = Array.Empty<object>() }));
        Assert.All(acks, ack => Assert.Equal("rejected", ack.GetProperty("status").GetString()));
        Assert.All(acks, ack => Assert.False(string.IsNullOrWhiteSpace(ack.GetProperty("reason").GetString())));
        var document = await (await attacker.GetAsync($"/api/projects/{project}")).BodyAsync();
        Assert.Equal(0, document.GetProperty("tracks")[0].GetProperty("automation").GetArrayLength());
    }

    [Fact]
    public async Task Sends_ToAnotherProjectsBus_ToNothing_PastTheLimit_OrAsAViewer_AreRefused_WithAReason()
    {
        var owner = await platform.RegisterAsync();
        using var attacker = platform.CreateClient(owner.AccessToken);
        var project = (await ProjectsApiTests.CreateAsync(attacker, "sends")).GetProperty("id").GetString()!;
        using var other = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var theirProject = (await ProjectsApiTests.CreateAsync(other, "theirs")).GetProperty("id").GetString()!;
        var theirBus = Guid.NewGuid();
        await ProjectsApiTests.SubmitAsync(other, theirProject, ProjectsApiTests.Op("track.add", new { trackId = theirBus, name = "Their bus", kind = "bus" }));
        var track = Guid.NewGuid();
        var buses = Enumerable.Range(0, 17).Select(_ => Guid.NewGuid()).ToList();
        await ProjectsApiTests.SubmitAsync(attacker, project, [ProjectsApiTests.Op("track.add", new { trackId = track, name = "A", kind = "audio" }),
            .. buses.Select((b, i) => ProjectsApiTests.Op("track.add", new { trackId = b, name = $"Bus {i}", kind = "bus" }))]);

        var acks = await ProjectsApiTests.SubmitAsync(attacker, project, [
            ProjectsApiTests.Op("track.send", new { trackId = track, busId = theirBus }),
            ProjectsApiTests.Op("track.send", new { trackId = track, busId = Guid.Empty }),
            ProjectsApiTests.Op("track.send", new { trackId = track, busId = "../bus" }),
            ProjectsApiTests.Op("track.send", new { trackId = track, busId = buses[0], levelDb = "loud" }),
            ProjectsApiTests.Op("track.send", new { trackId = track, busId = buses[0], levelDb = double.MaxValue }),
            ProjectsApiTests.Op("track.send", new { trackId = Guid.NewGuid(), busId = buses[0] }),
            .. buses.Select(b => ProjectsApiTests.Op("track.send", new { trackId = track, busId = b }))]);
        Assert.All(acks.Take(6), ack => Assert.Equal("rejected", ack.GetProperty("status").GetString()));
        Assert.All(acks.Take(6), ack => Assert.False(string.IsNullOrWhiteSpace(ack.GetProperty("reason").GetString())));
        Assert.All(acks.Skip(6).Take(16), ack => Assert.Equal("applied", ack.GetProperty("status").GetString()));
        Assert.Contains("at most 16", acks[^1].GetProperty("reason").GetString());

        // A viewer may not send.
        var viewer = await platform.RegisterAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await attacker.PutAsJsonAsync($"/api/projects/{project}/collaborators/{viewer.User.Id}", new { role = "viewer" })).StatusCode);
        using var viewing = platform.CreateClient(viewer.AccessToken);
        var refused = await ProjectsApiTests.SubmitAsync(viewing, project, ProjectsApiTests.Op("track.send", new { trackId = track, busId = buses[0], remove = true }));
        Assert.Equal("rejected", refused[0].GetProperty("status").GetString());
    }
}

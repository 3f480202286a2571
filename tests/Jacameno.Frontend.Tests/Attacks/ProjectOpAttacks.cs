
namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>Ops as a way to take what is not yours: placing another user's upload in your project to play or export it.</summary>
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
}

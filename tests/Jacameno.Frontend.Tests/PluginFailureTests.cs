using System.Net.Http.Json;
using System.Text.Json;
using Jacameno.Plugins.Tests;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// Plugins that fail, on platforms of their own that look for plugins in folders the test makes: one that crashes
/// while rendering (a broken VST2 built by the test), and one that disappears between two starts.
/// </summary>
public sealed class PluginFailureTests
{
    private static readonly string NoPlugins = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "jacameno-no-plugins")).FullName;

    [Fact]
    public async Task APluginThatCrashesWhileRendering_FailsTheJobWithItsName_AndTheSiloKeepsServing()
    {
        var broken = BrokenPlugins.Build("crash");
        await using var platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?>
        {
            ["Jacameno:Plugins:Vst2Path"] = Path.GetDirectoryName(broken),
            ["Jacameno:Plugins:Lv2Path"] = NoPlugins,
        });
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var withPlugin = await ToneProjectAsync(client, "vst2:" + broken);
        var job = await RenderAsync(client, withPlugin);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        var error = job.GetProperty("error").GetString()!;
        Assert.Contains("Broken crash", error);
        Assert.Contains("crashed", error);
        Assert.Equal(1, job.GetProperty("attempts").GetInt32()); // a crash is not retried: it would crash again

        var without = await ToneProjectAsync(client, null);
        Assert.Equal("succeeded", (await RenderAsync(client, without)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task APluginRemovedBetweenStarts_IsBypassedAndReported_AndTheProjectStillLoadsAndRenders()
    {
        // A copy of x42's balance bundle, the only LV2 plugin this platform finds.
        var bundles = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"jacameno-lv2-{Guid.NewGuid():N}")).FullName;
        var bundle = Path.Combine(bundles, "balance.lv2");
        Directory.CreateDirectory(bundle);
        foreach (var file in Directory.GetFiles("/usr/lib/lv2/balance.lv2"))
        {
            File.Copy(file, Path.Combine(bundle, Path.GetFileName(file)));
        }

        const string balance = "lv2:http://gareus.org/oss/lv2/balance";
        var data = EmbeddedPlatform.NewDataDirectory();
        var settings = new Dictionary<string, string?> { ["Jacameno:Plugins:Vst2Path"] = NoPlugins, ["Jacameno:Plugins:Lv2Path"] = bundles };
        string token, projectId;
        await using (var first = new EmbeddedPlatform(data, settings))
        {
            token = (await first.RegisterAsync()).AccessToken;
            using var client = first.CreateClient(token);
            projectId = await ToneProjectAsync(client, balance);
        }

        Directory.Delete(bundles, recursive: true);
        await using var second = new EmbeddedPlatform(data, settings);
        using var again = second.CreateClient(token);
        var project = await (await again.GetAsync($"/api/projects/{projectId}")).BodyAsync();
        Assert.Equal(balance, project.GetProperty("tracks")[0].GetProperty("effects")[0].GetProperty("type").GetString());
        var job = await RenderAsync(again, projectId);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.GetRawText());
        var missing = job.GetProperty("result").GetProperty("report").GetProperty("missingPlugins");
        Assert.Contains(balance, Assert.Single(missing.EnumerateArray()).GetString());
    }

    private static async Task<string> ToneProjectAsync(HttpClient client, string? plugin)
    {
        var asset = await AssetsApiTests.UploadAsync(client, AssetsApiTests.StereoSineWav(-12, 1), "tone.wav");
        var assetId = asset.GetProperty("id").GetString()!;
        Assert.Equal("ready", (await AssetsApiTests.ProcessedAsync(client, assetId)).GetProperty("status").GetString());
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Tone")).GetProperty("id").GetString()!;
        var track = Guid.NewGuid();
        var ops = new List<object>
        {
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Tone", kind = "audio" }),
            ProjectsApiTests.Op("clip.add", new { trackId = track, start = 0, length = 48000, assetId }),
        };
        if (plugin is not null)
        {
            ops.Add(ProjectsApiTests.Op("effect.add", new { trackId = track, type = plugin }));
        }

        var acks = await ProjectsApiTests.SubmitAsync(client, projectId, [.. ops]);
        Assert.All(acks, ack => Assert.True(ack.GetProperty("status").GetString() == "applied", ack.GetRawText()));
        return projectId;
    }

    private static async Task<JsonElement> RenderAsync(HttpClient client, string projectId)
    {
        var accepted = await (await client.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { })).BodyAsync();
        return await JobsApiTests.FinishedAsync(client, accepted.GetProperty("id").GetString()!, seconds: 120);
    }
}

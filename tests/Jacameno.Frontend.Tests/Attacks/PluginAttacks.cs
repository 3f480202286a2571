using System.Net;
using System.Net.Http.Json;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>
/// Plugins as an attacker tries them: making the server load a shared object of their choosing, running plugins
/// anonymously or without end (each run is a process), states that are not base64 or too large, and presets
/// of other users.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class PluginAttacks(SharedPlatform platform)
{
    private const string Compressor = "lv2:http://lsp-plug.in/plugins/lv2/compressor_stereo";

    /// <summary>Only scanned plugins ever run: a path or URI the scan did not find is 404 wherever a plugin id is taken.</summary>
    [Theory]
    [InlineData("vst2:/tmp/evil.so")]
    [InlineData("vst2:/usr/lib/x86_64-linux-gnu/libc.so.6")]
    [InlineData("vst2:../../../etc/passwd")]
    [InlineData("lv2:file:///tmp/evil.lv2/")]
    [InlineData("ladspa:/usr/lib/ladspa/x.so")]
    public async Task AnUnscannedPlugin_NeverRuns(string pluginId)
    {
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/plugins/state", new { pluginId })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/plugins/presets", new { pluginId, name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/plugins/describe?id={Uri.EscapeDataString(pluginId)}")).StatusCode);
        var graph = await GraphQLApiTests.QueryAsync(client, "mutation($p: String!) { capturePluginState(pluginId: $p) { state } }", new { p = pluginId });
        Assert.Equal("NOT_FOUND", graph.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    /// <summary>
    /// Track previews run the engine (and plugins) on demand: only for a member, for a track of that project, for a
    /// bounded window; anything else is the same 404 or 400 the rest of the API gives, over REST and GraphQL.
    /// </summary>
    [Fact]
    public async Task TrackPreviews_AreForMembers_OfTheirTracks_AndBounded()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Previews")).GetProperty("id").GetString()!;
        var track = Guid.NewGuid();
        await ProjectsApiTests.SubmitAsync(client, projectId, ProjectsApiTests.Op("track.add", new { trackId = track, name = "T", kind = "audio" }));
        var path = $"/api/projects/{projectId}/tracks/{track}/preview";
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{path}?seconds=0.1")).StatusCode);

        using var stranger = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(path)).StatusCode);
        using var anonymous = platform.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/projects/{projectId}/tracks/{Guid.NewGuid()}/preview")).StatusCode);
        foreach (var query in new[] { "from=-1", "seconds=0", "seconds=-2", "seconds=30.5", "seconds=1e9", "seconds=NaN", "seconds=abc", "from=1.5", "from=99999999999999999999" })
        {
            var response = await client.GetAsync($"{path}?{query}");
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var graph = await GraphQLApiTests.QueryAsync(stranger, "query($p: ID!, $t: ID!) { trackPreview(projectId: $p, trackId: $t) { version } }", new { p = projectId, t = track });
        Assert.Equal("NOT_FOUND", graph.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        var tooLong = await GraphQLApiTests.QueryAsync(client, "query($p: ID!, $t: ID!) { trackPreview(projectId: $p, trackId: $t, seconds: 31) { version } }", new { p = projectId, t = track });
        Assert.Equal("BAD_USER_INPUT", tooLong.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    /// <summary>Each preview is a render: GraphQL aliases of trackPreview draw from the same per-user budget as REST.</summary>
    [Fact]
    public async Task AliasedTrackPreviews_AreThrottledPerUser()
    {
        await using var limited = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(),
            new Dictionary<string, string?> { ["Jacameno:RateLimits:PreviewsPerMinute"] = "3" });
        using var client = limited.CreateClient((await limited.RegisterAsync()).AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Aliased")).GetProperty("id").GetString()!;
        var track = Guid.NewGuid();
        await ProjectsApiTests.SubmitAsync(client, projectId, ProjectsApiTests.Op("track.add", new { trackId = track, name = "T", kind = "audio" }));
        var aliases = string.Join(' ', Enumerable.Range(0, 5).Select(i => $"a{i}: trackPreview(projectId: $p, trackId: $t, seconds: 0.1) {{ version }}"));
        var graph = await GraphQLApiTests.QueryAsync(client, $"query($p: ID!, $t: ID!) {{ {aliases} }}", new { p = projectId, t = track });
        var codes = graph.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("extensions").GetProperty("code").GetString()).ToList();
        Assert.Equal(2, codes.Count(c => c == "TOO_MANY_REQUESTS"));
        var rest = await client.GetAsync($"/api/projects/{projectId}/tracks/{track}/preview?seconds=0.1");
        Assert.Equal(HttpStatusCode.TooManyRequests, rest.StatusCode);
        Assert.NotNull(rest.Headers.RetryAfter);
    }

    [Fact]
    public async Task RunningAPlugin_NeedsAnAccount()
    {
        using var anonymous = platform.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/plugins/state", new { pluginId = Compressor })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/plugins/presets")).StatusCode);
    }

    [Fact]
    public async Task BadStatesAndParameters_Are400_WithTheField()
    {
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        foreach (var body in new object[]
        {
            new { pluginId = Compressor, state = "%%% not base64" },
            new { pluginId = Compressor, state = new string('A', 1_000_000) },
            new { pluginId = Compressor, parameters = new { cr = 1e9 } },
            new { pluginId = Compressor, parameters = new { nope = 1 } },
            new { pluginId = Compressor, presetId = "urn:not-a-preset" },
            new { pluginId = Compressor, state = Convert.ToBase64String("garbage that is no plugin state"u8.ToArray()) },
        })
        {
            var response = await client.PostAsJsonAsync("/api/plugins/state", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/plugins/state", new { pluginId = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/plugins/state", new { })).StatusCode);
    }

    /// <summary>Each run starts a process: aliases in one GraphQL request draw from the same per-user budget as REST.</summary>
    [Fact]
    public async Task AliasedPluginRuns_AreThrottledPerUser()
    {
        await using var limited = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(),
            new Dictionary<string, string?> { ["Jacameno:RateLimits:PluginRunsPerMinute"] = "3" });
        using var client = limited.CreateClient((await limited.RegisterAsync()).AccessToken);
        var aliases = string.Join(' ', Enumerable.Range(0, 5).Select(i => $"a{i}: capturePluginState(pluginId: $p) {{ pluginId }}"));
        var graph = await GraphQLApiTests.QueryAsync(client, $"mutation($p: String!) {{ {aliases} }}", new { p = Compressor });
        var codes = graph.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("extensions").GetProperty("code").GetString()).ToList();
        Assert.Equal(2, codes.Count(c => c == "TOO_MANY_REQUESTS"));
        var rest = await client.PostAsJsonAsync("/api/plugins/state", new { pluginId = Compressor });
        Assert.Equal(HttpStatusCode.TooManyRequests, rest.StatusCode);
        Assert.NotNull(rest.Headers.RetryAfter);
    }
}

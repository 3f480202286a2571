using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jacameno.AI.Lyrics;

namespace Jacameno.Frontend.Tests;

/// <summary>The offline lyricist and the lyrics assistant through the API, checked against the pronouncing dictionary.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class LyricsApiTests(SharedPlatform platform)
{
    internal static async Task<JsonElement> WriteAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/api/ai/lyrics", request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await response.BodyAsync();
    }

    [Theory]
    [InlineData("summer night drive", "happy", "verse-chorus-verse-chorus-bridge-chorus", "ABAB", 8, 42)]
    [InlineData("rain on the city", "sad", "intro-verse-prechorus-chorus-outro", "AABB", 6, 7)]
    [InlineData("fire and stone", null, "verse-chorus-verse-chorus", "ABCB", 11, 1234)]
    public async Task Offline_KeepsStructureRhymeSchemeAndSyllables(string theme, string? mood, string structure, string scheme, int syllables, int seed)
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var request = new { theme, mood, structure, rhymeScheme = scheme, syllablesPerLine = syllables, seed, provider = "offline" };
        var job = await JobsApiTests.FinishedAsync(client, (await WriteAsync(client, request)).GetProperty("id").GetString()!);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.GetRawText());
        var report = job.GetProperty("result").GetProperty("report");
        var sections = report.GetProperty("sections").EnumerateArray().ToList();
        Assert.Equal(structure.Replace("prechorus", "prechorus").Split('-'), sections.Select(s => s.GetProperty("name").GetString()));
        foreach (var section in sections)
        {
            var lines = section.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("text").GetString()!).ToList();
            Assert.Equal(scheme.Length, lines.Count);
            var ends = lines.Select(l => l.Split(' ')[^1]).ToList();
            for (var i = 0; i < lines.Count; i++)
            {
                // Counted again here, word by word, from the dictionary: the report is not taken on trust.
                Assert.Equal(syllables, lines[i].Split(' ').Sum(Pronunciations.Syllables));
                for (var j = i + 1; j < lines.Count; j++)
                {
                    Assert.True(scheme[i] == scheme[j] ? Pronunciations.Rhymes(ends[i], ends[j]) : !Pronunciations.Rhymes(ends[i], ends[j]) || ends[i] == ends[j],
                        $"{section.GetProperty("name")}: \"{lines[i]}\" / \"{lines[j]}\" against {scheme}");
                }
            }
        }

        var choruses = sections.Where(s => s.GetProperty("name").GetString() == "chorus").Select(s => s.GetProperty("lines").GetRawText()).Distinct();
        Assert.True(choruses.Count() <= 1, "a chorus is sung the same every time");
        Assert.Equal("offline", report.GetProperty("provider").GetString());

        // The same seed writes the same song.
        var again = await JobsApiTests.FinishedAsync(client, (await WriteAsync(client, request)).GetProperty("id").GetString()!);
        Assert.Equal(report.GetProperty("text").GetString(), again.GetProperty("result").GetProperty("report").GetProperty("text").GetString());
    }

    [Fact]
    public async Task BadLyricsRequests_Are400WithTheField()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { theme = "" }, "theme"),
                     (new { theme = "x", structure = "verse-solo" }, "structure"),
                     (new { theme = "x", rhymeScheme = "XYZ" }, "rhymeScheme"),
                     (new { theme = "x", syllablesPerLine = 40 }, "syllablesPerLine"),
                     (new { theme = "x", provider = "model" }, "provider"),
                     (new { theme = "x", provider = "offline", language = "fr" }, "language"),
                 })
        {
            var response = await client.PostAsJsonAsync("/api/ai/lyrics", body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(body)}: {response.StatusCode}");
            Assert.Contains(field, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Assistant_CountsSyllables_GroupsRhymes_FitsTheProjectsTempo_AndSuggestsRhymes()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var project = await ProjectsApiTests.CreateAsync(client, "Ballad");
        await client.PatchAsJsonAsync($"/api/projects/{project.GetProperty("id").GetString()}", new { tempo = 90 });
        var text = "[verse]\nI walk alone beneath the light\nThe city sleeps, the streets are cold\nI hold on tight into the night\nA story that was never told\n";
        var response = await client.PostAsJsonAsync("/api/ai/lyrics/assist", new { text, projectId = project.GetProperty("id").GetString(), word = "night" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.BodyAsync();
        var lines = body.GetProperty("analysis").GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal([8, 8, 8, 8], lines.Select(l => l.GetProperty("syllables").GetInt32()));
        Assert.Equal(["A", "B", "A", "B"], lines.Select(l => l.GetProperty("rhyme").GetString()));
        Assert.Equal("11010101", lines[0].GetProperty("stresses").GetString()); // I WALK a-LONE be-NEATH the LIGHT
        Assert.Equal(90, body.GetProperty("analysis").GetProperty("tempo").GetDouble());
        Assert.Equal(1, lines[0].GetProperty("bars").GetDouble()); // 8 syllables as eighths: 4 beats, one bar of 4/4
        Assert.Equal(2.67, lines[0].GetProperty("seconds").GetDouble(), 2);
        Assert.Contains("light", body.GetProperty("rhymes").EnumerateArray().Select(r => r.GetString()));

        var outsider = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostAsJsonAsync("/api/ai/lyrics/assist", new { text, projectId = project.GetProperty("id").GetString() })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/ai/lyrics/assist", new { text, tempo = 5000 })).StatusCode);

        var graph = await GraphQLApiTests.QueryAsync(client, "query($t: String!) { lyricsAssist(text: $t, word: \"fire\") { lines { syllables rhyme } rhymes } }", new { t = text });
        Assert.Equal(4, graph.GetProperty("data").GetProperty("lyricsAssist").GetProperty("lines").GetArrayLength());
        Assert.Contains("higher", graph.GetProperty("data").GetProperty("lyricsAssist").GetProperty("rhymes").EnumerateArray().Select(r => r.GetString()));
    }
}

/// <summary>The model provider against a local OpenAI-compatible server: good answers, garbage, errors and silence.</summary>
public sealed class LyricsModelTests : IAsyncLifetime
{
    private FakeChatModel model = null!;
    private EmbeddedPlatform platform = null!;

    public async Task InitializeAsync()
    {
        model = await FakeChatModel.StartAsync();
        platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?>
        {
            ["Jacameno:AI:Lyrics:Endpoint"] = model.Endpoint,
            ["Jacameno:AI:Lyrics:Model"] = "test-model",
            ["Jacameno:AI:Lyrics:Timeout"] = "00:00:02",
            ["Jacameno:Jobs:MaxAttempts"] = "2",
        });
    }

    public async Task DisposeAsync()
    {
        await platform.DisposeAsync();
        await model.DisposeAsync();
    }

    [Fact]
    public async Task Model_WritesTheLyrics_AndBadAnswersFailTheJobWithAReason_AfterTheAttempts()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var request = new { theme = "the sea", structure = "verse-chorus", rhymeScheme = "AA", syllablesPerLine = 8 };

        model.Answer = FakeChatModel.Behaviour.Lyrics;
        var good = await JobsApiTests.FinishedAsync(client, (await LyricsApiTests.WriteAsync(client, request)).GetProperty("id").GetString()!);
        Assert.True(good.GetProperty("status").GetString() == "succeeded", good.GetRawText());
        var report = good.GetProperty("result").GetProperty("report");
        Assert.Equal(("model", "test-model"), (report.GetProperty("provider").GetString(), report.GetProperty("model").GetString()));
        Assert.Contains("salt and foam", report.GetProperty("text").GetString());
        Assert.Equal("A", report.GetProperty("sections")[0].GetProperty("lines")[1].GetProperty("rhyme").GetString()); // foam / home
        Assert.Contains("verse", model.LastRequest);

        foreach (var (behaviour, reason) in new[]
                 {
                     (FakeChatModel.Behaviour.Garbage, "something other than lyrics"),
                     (FakeChatModel.Behaviour.ServerError, "HTTP 500"),
                     (FakeChatModel.Behaviour.Hang, "did not answer within 2 s"),
                 })
        {
            model.Answer = behaviour;
            var before = model.Requests;
            var job = await JobsApiTests.FinishedAsync(client, (await LyricsApiTests.WriteAsync(client, request)).GetProperty("id").GetString()!);
            Assert.Equal(("failed", 2), (job.GetProperty("status").GetString(), job.GetProperty("attempts").GetInt32()));
            Assert.Contains(reason, job.GetProperty("error").GetString());
            Assert.Equal(before + 2, model.Requests);
        }
    }
}

using System.Net.Http.Json;
using System.Text.Json;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>Play counts as something to inflate: an anonymous client that changes what it sends on every request.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class StreamingAttacks(SharedPlatform platform)
{
    [Fact]
    public async Task AnonymousPlays_WithANewUserAgentEachTime_CountOnce()
    {
        using var artist = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var id = (await StreamingApiTests.QuickReleaseAsync(artist, "Bot bait " + StreamingApiTests.Word())).GetProperty("id").GetString()!;

        var started = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var bot = platform.CreateClient();
            bot.DefaultRequestHeaders.UserAgent.ParseAdd($"bot/{i}.{Guid.NewGuid():N}");
            started.Add((await (await bot.PostAsJsonAsync($"/api/releases/{id}/plays?v={i}", new { })).BodyAsync()).GetProperty("playId").GetString()!);
        }

        await Task.Delay(3200);
        var counted = 0;
        for (var i = 0; i < started.Count; i++)
        {
            using var bot = platform.CreateClient();
            bot.DefaultRequestHeaders.UserAgent.ParseAdd($"other/{i}");
            var answer = await (await bot.PostAsJsonAsync($"/api/releases/{id}/plays", new { playId = started[i] })).BodyAsync();
            counted += answer.TryGetProperty("counted", out var c) && c.ValueKind == JsonValueKind.True ? 1 : 0;
        }

        Assert.Equal(1, counted);
        Assert.Equal(1, (await (await platform.CreateClient().GetAsync($"/api/releases/{id}")).BodyAsync()).GetProperty("plays").GetInt64());
    }
}

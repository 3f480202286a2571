namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>
/// Instruments as a way to read the server's files: a SoundFont's file is served by id, and a soundfont instrument names
/// one, so ids that are paths, encoded paths, links or too long must reach nothing.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class InstrumentAttacks(SharedPlatform platform)
{
    [Theory]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("..%252F..%252Fetc%252Fpasswd")]
    [InlineData("%2Fetc%2Fpasswd")]
    [InlineData("TimGM6mb.sf2")]
    [InlineData("default-GM")] // a link to a served file: listed once, under its own name only
    [InlineData("nope")]
    public async Task ASoundFontsFile_IsServedByItsIdOnly(string id)
    {
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var response = await client.GetAsync($"/api/soundfonts/{id}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync($"/api/soundfonts/{new string('a', 300)}")).StatusCode);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/usr/share/sounds/sf2/TimGM6mb.sf2")]
    [InlineData("TimGM6mb/../TimGM6mb")]
    [InlineData("")]
    public async Task ASoundFontInstrument_TakesInstalledIdsOnly(string soundFont)
    {
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var project = (await ProjectsApiTests.CreateAsync(client, "paths")).GetProperty("id").GetString()!;
        var (track, synth) = (Guid.NewGuid(), Guid.NewGuid());
        var acks = await ProjectsApiTests.SubmitAsync(client, project,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Keys", kind = "midi" }),
            ProjectsApiTests.Op("effect.add", new { trackId = track, effectId = synth, type = "soundfont" }),
            ProjectsApiTests.Op("effect.soundfont", new { effectId = synth, soundFont }));
        Assert.Equal(["applied", "applied", "rejected"], acks.Select(a => a.GetProperty("status").GetString()));
        Assert.Contains("is installed", acks[2].GetProperty("reason").GetString());
    }
}

using Jacameno.Audio.Instruments;
using Jacameno.Audio.Rendering;

namespace Jacameno.Audio.Tests;

/// <summary>
/// SoundFonts: the library reads Debian's General MIDI set (timgm6mb-soundfont, installed by the test script), and the
/// soundfont instrument plays its presets through FluidSynth at their pitch, from the 64-frame block a note falls in.
/// </summary>
public sealed class SoundFontTests
{
    private static readonly SoundFont General = new SoundFontLibrary(SoundFontLibrary.DefaultDirectory).Find("TimGM6mb")
        ?? throw new InvalidOperationException("TimGM6mb.sf2 is missing: install timgm6mb-soundfont (scripts/services.sh does).");

    /// <summary>The median of the pitch tracker's voiced frames over [from, to).</summary>
    internal static double Pitch(float[] x, int from, int to)
    {
        var voiced = Analysis.PitchTracker.Track(x[from..to], 48000).Voiced.Order().ToArray();
        return voiced[voiced.Length / 2];
    }

    [Fact]
    public void TheLibrary_ListsTheGeneralMidiPresets_AndTakesLinksOnce()
    {
        Assert.True(General.Presets.Count > 100, $"{General.Presets.Count} presets");
        Assert.Contains(General.Presets, p => p.Bank == 0 && p.Program == 0);
        Assert.Contains(General.Presets, p => p.Bank == 128); // the drum kits
        // default-GM.sf2 links to the same file: one font.
        Assert.Single(new SoundFontLibrary(SoundFontLibrary.DefaultDirectory).All, f => f.Path == General.Path);
    }

    [Fact]
    public void AFileThatIsNotASoundFont_IsRefused_WithTheReason()
    {
        Assert.Contains("RIFF", Assert.Throws<SoundFontException>(() => SoundFontFile.Read(new MemoryStream("not a soundfont"u8.ToArray()))).Message);
        // A RIFF sfbk whose chunk claims more than the file holds.
        var lying = new MemoryStream([.. "RIFF"u8, 100, 0, 0, 0, .. "sfbk"u8, .. "LIST"u8, 0xFF, 0xFF, 0, 0, .. "pdta"u8]);
        Assert.Contains("past the end", Assert.Throws<SoundFontException>(() => SoundFontFile.Read(lying)).Message);
    }

    [Theory]
    [InlineData(19, 57, 1)] // church organ, A3: its attack starts from 0 at 1024
    [InlineData(73, 69, 82)] // flute, A4: its sample opens with 82 frames of silence
    public void APreset_PlaysAtItsPitch_FromTheBlockItsNoteFallsIn(int program, int key, int firstSound)
    {
        var track = new RenderTrack(Guid.NewGuid(), false, [new RenderClip(0, 48000, null, Notes: [new RenderNote(1000, 24000, key, 100)])], [],
            Instrument: new RenderEffect("soundfont", new Dictionary<string, double> { ["program"] = program }, SoundFont: General.Path));
        var output = ProjectRenderer.Render(new RenderProject(48000, 120, [track], [], Length: 48000), _ => null)[0];

        var expected = 440 * Math.Pow(2, (key - 69) / 12.0);
        var measured = Pitch(output, 6000, 20000);
        Assert.InRange(1200 * Math.Log2(measured / expected), -5, 5); // cents
        // Silent before the block the note falls in (frame 1000 is in the block from 960; FluidSynth starts it at 1024).
        Assert.All(output[..1024], s => Assert.Equal(0f, s));
        Assert.Equal(1024 + firstSound, Array.FindIndex(output, s => s != 0));
    }
}

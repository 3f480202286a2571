using Jacameno.Audio.Mixing;

namespace Jacameno.Audio.Tests;

/// <summary>The auto-mix's decisions on tracks whose answers are known: a bass line, two parts in one band, a quiet pad.</summary>
public sealed class AutoMixTests
{
    private const int Rate = 48000;

    [Fact]
    public void Listen_TellsBassFromTheRest_AndMeasuresLoudness()
    {
        var bass = AutoMix.Listen(Guid.NewGuid(), Sine(55, 0.5), Rate);
        var lead = AutoMix.Listen(Guid.NewGuid(), Sine(1000, 0.5), Rate);
        Assert.True(bass.IsBass);
        Assert.False(lead.IsBass);
        // A full-scale 1 kHz sine in one channel reads −3 LUFS; in both channels (powers add) 0; at half scale, 6 dB less.
        Assert.InRange(lead.Lufs, -6.8, -5.2);
    }

    [Fact]
    public void Propose_StagesToOneLoudness_CentresBassAndLead_AndCutsWhereTwoPartsMask()
    {
        var bass = AutoMix.Listen(Guid.NewGuid(), Sine(55, 0.5), Rate);
        var lead = AutoMix.Listen(Guid.NewGuid(), Sine(1000, 0.8), Rate);
        var masked = AutoMix.Listen(Guid.NewGuid(), Sine(1000, 0.2), Rate);
        var silent = new TrackListening(Guid.NewGuid(), double.NegativeInfinity, new double[10], false);

        var mix = AutoMix.Propose([bass, lead, masked, silent]);

        // Three audible tracks: −18 − 10·log10(3) ≈ −22.8 LUFS each.
        Assert.Equal(-22.8, mix.TargetLufs);
        Assert.Equal([bass.Id, lead.Id, masked.Id], mix.Tracks.Select(t => t.Id));
        var byId = mix.Tracks.ToDictionary(t => t.Id);
        Assert.Equal(("bass", 0.0, false), (byId[bass.Id].Role, byId[bass.Id].Pan, byId[bass.Id].HighPass));
        Assert.Equal(("lead", 0.0, true), (byId[lead.Id].Role, byId[lead.Id].Pan, byId[lead.Id].HighPass));
        Assert.Equal(("other", -0.35), (byId[masked.Id].Role, byId[masked.Id].Pan));
        // Both mid parts peak at 1 kHz: the quieter one gets the cut, the lead none.
        Assert.Equal([1000.0], byId[masked.Id].CutsHz);
        Assert.Empty(byId[lead.Id].CutsHz);
        foreach (var track in mix.Tracks)
        {
            // Gain lands each track within half a dB (the step the mix rounds to) of the target.
            Assert.InRange(track.Lufs + track.VolumeDb, mix.TargetLufs - 0.26, mix.TargetLufs + 0.26);
        }
    }

    private static float[][] Sine(double hz, double amplitude, double seconds = 4)
    {
        var samples = new float[(int)(Rate * seconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / Rate));
        }

        return [samples, (float[])samples.Clone()];
    }
}

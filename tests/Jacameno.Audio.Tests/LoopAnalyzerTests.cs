using Jacameno.Audio.Analysis;

namespace Jacameno.Audio.Tests;

public sealed class LoopAnalyzerTests
{
    private const int Rate = 44100;

    /// <summary>A loop of <paramref name="beats"/> at <paramref name="bpm"/>, cut to exactly that many beats.</summary>
    private static float[] Cut(float[] audio, double bpm, int beats) => audio[..(int)Math.Round(beats * 60 / bpm * Rate)];

    [Theory]
    [InlineData(120, 4)]  // one bar: too short for the tempo estimator alone
    [InlineData(95, 8)]
    [InlineData(140, 16)]
    [InlineData(78, 4)]
    public void DrumLoops_GetTheirTempoExactly_FromTheirLength(double bpm, int beats)
    {
        var loop = Cut(MusicSignals.Rhythm(MusicSignals.Pattern.RockDrums, bpm, (beats * 60 / bpm) + 1, Rate), bpm, beats);

        var found = LoopAnalyzer.Analyze([loop], Rate, "groove.wav");

        Assert.Equal(beats, found.Beats);
        // Exact but for the rounding of the length to whole samples.
        Assert.Equal(bpm, found.Bpm!.Value, 0.01);
        Assert.Equal((double)loop.Length / Rate, found.DurationSeconds, 0.001);
    }

    [Fact]
    public void ATonalLoop_HasItsKey()
    {
        var chords = new MusicSignals.Triad[] { new(0, true), new(8, false), new(3, false), new(10, false) };
        var loop = Cut(MusicSignals.Song(9, chords, 100, -6, loops: 1, rate: Rate), 100, 16);

        var found = LoopAnalyzer.Analyze([loop, loop], Rate, "keys.wav");

        Assert.Equal(16, found.Beats);
        Assert.Equal(100, found.Bpm!.Value, 0.01);
        Assert.Equal("A minor", found.Key?.ToString());
    }

    [Fact]
    public void HitsThatDecay_AreOneShots()
    {
        var kick = new float[Rate / 2];
        var crash = new float[3 * Rate];
        var random = new Random(3);
        for (var i = 0; i < kick.Length; i++)
        {
            kick[i] = 0.8f * MathF.Sin(2 * MathF.PI * 55 * i / Rate) * MathF.Exp(-i / (0.08f * Rate));
        }

        for (var i = 0; i < crash.Length; i++)
        {
            crash[i] = 0.5f * ((float)random.NextDouble() - 0.5f) * MathF.Exp(-i / (0.4f * Rate));
        }

        foreach (var (audio, name) in new[] { (kick, "kick.wav"), (crash, "crash.wav") })
        {
            var found = LoopAnalyzer.Analyze([audio], Rate, name);
            Assert.Null(found.Bpm);
            Assert.Null(found.Beats);
        }
    }

    [Fact]
    public void TheName_SaysOneShot_OrGivesTheTempo()
    {
        var groove = Cut(MusicSignals.Rhythm(MusicSignals.Pattern.RockDrums, 120, 5, Rate), 120, 8);
        Assert.Null(LoopAnalyzer.Analyze([groove], Rate, "Fill One-Shot.wav").Bpm);
        Assert.Null(LoopAnalyzer.Analyze([groove], Rate, "snare_hit_02.wav").Bpm);

        // A pad with no onsets to hear a tempo in: the tempo written in its name is taken, since 8 of its beats fit the length.
        var pad = new float[(int)Math.Round(8 * 60 / 90.0 * Rate)];
        for (var i = 0; i < pad.Length; i++)
        {
            pad[i] = 0.2f * MathF.Sin(2 * MathF.PI * 220 * i / Rate);
        }

        var found = LoopAnalyzer.Analyze([pad], Rate, "warm pad 90bpm loop.wav");
        Assert.Equal(8, found.Beats);
        Assert.Equal(90, found.Bpm!.Value, 0.01);
        // A tempo in the name that no whole number of beats fits is not believed.
        Assert.Null(LoopAnalyzer.Analyze([pad], Rate, "warm pad 97bpm.wav").Beats);
    }
}

using Jacameno.Audio.Rendering;

namespace Jacameno.Audio.Tests;

public sealed class TempoMapTests
{
    [Fact]
    public void BeatsAndSamples_ConvertBothWays_ThroughTheChanges()
    {
        // 120 BPM for 4 beats (96 000 samples at 48 kHz), then 60 BPM, then 240 from sample 192 000 (2 more beats).
        var map = new TempoMap(120, [(192_000, 240), (96_000, 60)], 48000);
        Assert.True(map.Changes);
        Assert.Equal(120, map.TempoAt(95_999));
        Assert.Equal(60, map.TempoAt(96_000));
        Assert.Equal(240, map.TempoAt(10_000_000));
        Assert.Equal(2, map.BeatAt(48_000), 9);
        Assert.Equal(4, map.BeatAt(96_000), 9);
        Assert.Equal(5, map.BeatAt(144_000), 9);
        Assert.Equal(6, map.BeatAt(192_000), 9);
        Assert.Equal(10, map.BeatAt(240_000), 9);
        foreach (var beat in new[] { 0, 1.5, 4, 5.25, 6, 9.75 })
        {
            Assert.Equal(beat, map.BeatAt((long)Math.Round(map.PositionOf(beat))), 4);
        }

        Assert.Equal(144_000, map.PositionOf(5), 6);
        Assert.Equal(3.0, map.BeatsBetween(48_000, 144_000), 12); // 2 beats at 120, 1 at 60
        Assert.Equal(96000 / 28800.0, new TempoMap(100, [], 48000).BeatsBetween(48_000, 144_000));
        Assert.False(new TempoMap(100, [], 48000).Changes);
        Assert.Equal(28_800, new TempoMap(100, [], 48000).PositionOf(1), 6);
    }
}

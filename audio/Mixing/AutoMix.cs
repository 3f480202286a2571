using Jacameno.Audio.Analysis;

namespace Jacameno.Audio.Mixing;

/// <summary>One track heard alone: its integrated loudness, octave-band levels, and whether it is mostly bass.</summary>
public sealed record TrackListening(Guid Id, double Lufs, double[] Bands, bool IsBass);

/// <summary>What the mix does to one track. <see cref="HighPass"/>: it is not bass, so everything below 100 Hz is mud.</summary>
public sealed record TrackMix(Guid Id, string Role, double Lufs, double VolumeDb, double Pan, bool HighPass, IReadOnlyList<double> CutsHz);

/// <summary>A starting mix: every audible track's settings, all staged to <see cref="TargetLufs"/>.</summary>
public sealed record MixProposal(double TargetLufs, IReadOnlyList<TrackMix> Tracks);

/// <summary>
/// The auto-mix as arithmetic on measurements, with no project or platform in sight: gain staging to equal
/// loudness (the target falls 10 dB per tenfold of tracks, so the sum stays near −18 LUFS), bass and the lead
/// (the loudest non-bass track) in the centre and the rest spread, and where two non-bass tracks put their most
/// energy into the same mid band, the quieter makes room with a cut there (at most two per track).
/// </summary>
public static class AutoMix
{
    private static readonly double[] Spread = [-0.35, 0.35, -0.6, 0.6, -0.8, 0.8];

    /// <summary>Measures one track rendered alone.</summary>
    public static TrackListening Listen(Guid id, IReadOnlyList<float[]> audio, int sampleRate)
    {
        var lufs = Mastering.Mastering.Measure(audio, sampleRate, truePeak: false).IntegratedLufs;
        var bands = OctaveBands.Levels(audio, sampleRate);
        var total = bands.Where(double.IsFinite).Sum(db => Math.Pow(10, db / 10));
        var low = bands.Take(3).Where(double.IsFinite).Sum(db => Math.Pow(10, db / 10)); // the bands up to 125 Hz (below about 177 Hz)
        return new TrackListening(id, lufs, bands, total > 0 && low / total > 0.5);
    }

    /// <summary>The mix of the audible tracks (silent ones are left as they are), in the order given.</summary>
    public static MixProposal Propose(IReadOnlyList<TrackListening> tracks)
    {
        var audible = tracks.Where(m => double.IsFinite(m.Lufs)).ToList();
        var target = Math.Round(-18 - (10 * Math.Log10(Math.Max(1, audible.Count))), 1);
        var lead = audible.Where(m => !m.IsBass).OrderByDescending(m => m.Lufs).FirstOrDefault();
        var cuts = audible.ToDictionary(m => m.Id, _ => new List<double>());
        var others = audible.Where(m => !m.IsBass).ToList();
        foreach (var (a, b) in others.SelectMany((a, i) => others.Skip(i + 1).Select(b => (a, b))))
        {
            // Masking: both tracks put their most energy into the same mid band; the quieter one makes room.
            var band = Enumerable.Range(3, Math.Min(5, a.Bands.Length - 3)).FirstOrDefault(i => Near(a.Bands, i) && Near(b.Bands, i), -1);
            var yielding = a.Lufs < b.Lufs ? a : b;
            if (band >= 0 && cuts[yielding.Id].Count < 2)
            {
                cuts[yielding.Id].Add(OctaveBands.Centres[band]);
            }
        }

        var spread = 0;
        var mixes = audible.Select(m => new TrackMix(
            m.Id,
            m.IsBass ? "bass" : m == lead ? "lead" : "other",
            m.Lufs,
            Math.Round(Math.Clamp(target - m.Lufs, -24, 12) * 2, MidpointRounding.AwayFromZero) / 2,
            m.IsBass || m == lead ? 0 : Spread[spread++ % Spread.Length],
            !m.IsBass,
            cuts[m.Id])).ToList();
        return new MixProposal(target, mixes);
    }

    /// <summary>Whether band <paramref name="i"/> is within 3 dB of the track's loudest band.</summary>
    private static bool Near(double[] bands, int i) =>
        i < bands.Length && double.IsFinite(bands[i]) && bands[i] >= bands.Where(double.IsFinite).Max() - 3;
}

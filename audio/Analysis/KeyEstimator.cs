namespace Jacameno.Audio.Analysis;

/// <summary>
/// A key estimate. <paramref name="Confidence"/> (0..1) is the key's share of the evidence against its closest rival: 0.5 a
/// coin toss, 1 no contest. <paramref name="Alternative"/> is that rival, most often the relative major or minor, when the call
/// was ambiguous (confidence under 0.75); null otherwise.
/// </summary>
public sealed record KeyEstimate(MusicalKey Key, double Confidence, MusicalKey? Alternative);

/// <summary>
/// Key in two steps. First the notes: a chroma (spectral energy folded into 12 pitch classes, C2 to C7, 8192-point frames)
/// correlated with the 24 rotations of the Albrecht–Shanahan major and minor profiles. Then the tonic, which the notes alone
/// cannot give where a key and its relative share them (A minor's i–VI–III–VII has no G♯): each key gains for the time its
/// tonic triad sounds, for opening and closing on it, and for the bass (the lowest strong peak, 40-200 Hz) resting on its tonic.
/// </summary>
public static class KeyEstimator
{
    // Albrecht & Shanahan (2013): pitch-class distributions of a corpus, steeper than Krumhansl–Kessler's ratings, so the
    // notes outside a key count against it.
    private static readonly double[] Major = [0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.080, 0.008, 0.081];
    private static readonly double[] Minor = [0.220, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052];

    private const double BassLowHz = 40, BassHighHz = 200;

    /// <summary>How far the start and end reach in, seconds: about a bar at a moderate tempo.</summary>
    private const double EdgeSeconds = 1.5;

    // Weights of the tonic evidence, against the profile correlation's 1: a key and its relative differ by about 0.2 in
    // correlation, so opening on the tonic triad (0.5) outweighs it, and so do the tonic's time (0.6) and bass (0.5) shares.
    private const double DurationWeight = 0.6, OpeningWeight = 0.5, ClosingWeight = 0.2, BassWeight = 0.5;

    /// <summary>Score difference worth a factor e in the odds of <see cref="KeyEstimate.Confidence"/>.</summary>
    private const double Temperature = 0.35;

    /// <summary>Under this confidence the runner-up is reported as <see cref="KeyEstimate.Alternative"/>.</summary>
    private const double Unambiguous = 0.75;

    public static KeyEstimate? Estimate(float[] mono, int sampleRate)
    {
        var frames = Frames(mono, sampleRate);
        if (frames.Count == 0)
        {
            return null;
        }

        var chroma = new double[12];
        var bass = new double[12];
        var triadTime = new double[24];
        foreach (var frame in frames)
        {
            Accumulate(chroma, frame.Chroma);
            Accumulate(bass, frame.Bass);
            triadTime[BestTriad(frame.Chroma, frame.Bass)]++;
        }

        var opening = BestTriad(frames.TakeWhile(f => f.Start - frames[0].Start < EdgeSeconds));
        var closing = BestTriad(frames.AsEnumerable().Reverse().TakeWhile(f => frames[^1].Start - f.Start < EdgeSeconds));
        var bassTotal = Math.Max(bass.Sum(), 1e-9);

        var scores = new double[24];
        for (var k = 0; k < 24; k++)
        {
            var (tonic, minor) = (k % 12, k >= 12);
            var profile = minor ? Minor : Major;
            scores[k] = Correlation(chroma, i => profile[(i - tonic + 12) % 12])
                + (DurationWeight * triadTime[k] / frames.Count)
                + (opening == k ? OpeningWeight : 0)
                + (closing == k ? ClosingWeight : 0)
                + (BassWeight * bass[tonic] / bassTotal);
        }

        var ranked = Enumerable.Range(0, 24).OrderByDescending(k => scores[k]).ToArray();
        var (best, runnerUp) = (ranked[0], ranked[1]);
        var confidence = 1 / (1 + Math.Exp((scores[runnerUp] - scores[best]) / Temperature));
        return new KeyEstimate(Key(best), Math.Round(confidence, 3), confidence < Unambiguous ? Key(runnerUp) : null);
    }

    /// <summary>Index 0-11 the major keys (or triads) on C..B, 12-23 the minor.</summary>
    private static MusicalKey Key(int index) => new(index % 12, index >= 12);

    private sealed record Frame(double Start, double[] Chroma, double[] Bass);

    /// <summary>
    /// Per frame (hop half a frame): the chroma, each pitch class's share of the frame's energy, square-rooted so a loud note
    /// does not drown the rest; and the bass note's energy as a share of the frame's. Frames more than 40 dB under the loudest
    /// are left out, so silence and fades do not count.
    /// </summary>
    private static List<Frame> Frames(float[] mono, int sampleRate)
    {
        var size = 8192 * Math.Max(1, sampleRate / 50000);
        var spectra = Spectrogram.Magnitudes(mono, size, size / 2);
        var hopSeconds = size / 2.0 / sampleRate;
        var binHz = (double)sampleRate / size;
        var (low, high) = ((int)Math.Ceiling(65.4 / binHz), Math.Min(size / 2, (int)(2093.0 / binHz)));
        var (bassLow, bassHigh) = ((int)Math.Ceiling(BassLowHz / binHz), (int)(BassHighHz / binHz));
        var pitchClass = new int[high + 1];
        for (var k = low; k <= high; k++)
        {
            pitchClass[k] = PitchClass(k * binHz);
        }

        var energies = new double[spectra.Length];
        var below = new double[spectra.Length]; // the bass band under the chroma's, so every bass note's share is of the same whole
        var raw = new double[spectra.Length][];
        for (var f = 0; f < spectra.Length; f++)
        {
            var spectrum = spectra[f];
            raw[f] = new double[12];
            for (var k = low; k <= high; k++)
            {
                raw[f][pitchClass[k]] += spectrum[k] * spectrum[k];
            }

            energies[f] = raw[f].Sum();
            for (var k = bassLow; k < low; k++)
            {
                below[f] += spectrum[k] * spectrum[k];
            }
        }

        var floor = Math.Max(1e-9, energies.DefaultIfEmpty(0).Max() * 1e-4);
        var frames = new List<Frame>();
        for (var f = 0; f < spectra.Length; f++)
        {
            if (energies[f] < floor)
            {
                continue;
            }

            var chroma = new double[12];
            for (var i = 0; i < 12; i++)
            {
                chroma[i] = Math.Sqrt(raw[f][i] / energies[f]);
            }

            frames.Add(new Frame(f * hopSeconds, chroma, Bass(spectra[f], bassLow, bassHigh, binHz, energies[f] + below[f])));
        }

        return frames;
    }

    /// <summary>
    /// The bass note: the lowest spectral peak within 12 dB of the strongest in the band, its frequency refined by a parabola
    /// through the log magnitudes (low notes are a bin or two apart), weighed by its share of the frame's energy.
    /// </summary>
    private static double[] Bass(float[] spectrum, int low, int high, double binHz, double frameEnergy)
    {
        var bass = new double[12];
        var strongest = 0f;
        for (var k = low; k <= high; k++)
        {
            strongest = Math.Max(strongest, spectrum[k]);
        }

        for (var k = Math.Max(1, low); k <= high && strongest > 0; k++)
        {
            if (spectrum[k] < 0.25f * strongest || spectrum[k] <= spectrum[k - 1] || spectrum[k] < spectrum[k + 1])
            {
                continue;
            }

            var (a, b, c) = (Math.Log(spectrum[k - 1] + 1e-12), Math.Log(spectrum[k]), Math.Log(spectrum[k + 1] + 1e-12));
            var offset = 0.5 * (a - c) / (a - (2 * b) + c);
            bass[PitchClass((k + (double.IsFinite(offset) ? offset : 0)) * binHz)] = spectrum[k] * spectrum[k] / frameEnergy;
            break;
        }

        return bass;
    }

    private static int PitchClass(double hz) => (((int)Math.Round(69 + (12 * Math.Log2(hz / 440))) % 12) + 12) % 12;

    private static int BestTriad(IEnumerable<Frame> frames)
    {
        var (chroma, bass) = (new double[12], new double[12]);
        foreach (var frame in frames)
        {
            Accumulate(chroma, frame.Chroma);
            Accumulate(bass, frame.Bass);
        }

        return BestTriad(chroma, bass);
    }

    /// <summary>The major or minor triad (index as <see cref="Key"/>) whose notes hold most of the chroma, its root counted again for the bass on it.</summary>
    private static int BestTriad(double[] chroma, double[] bass)
    {
        var (chromaTotal, bassTotal) = (Math.Max(chroma.Sum(), 1e-12), Math.Max(bass.Sum(), 1e-12));
        var (best, bestScore) = (0, double.MinValue);
        for (var t = 0; t < 24; t++)
        {
            var (root, third) = (t % 12, t >= 12 ? 3 : 4);
            var score = ((chroma[root] + chroma[(root + third) % 12] + chroma[(root + 7) % 12]) / chromaTotal) + (0.5 * bass[root] / bassTotal);
            if (score > bestScore)
            {
                (best, bestScore) = (t, score);
            }
        }

        return best;
    }

    private static void Accumulate(double[] sum, double[] values)
    {
        for (var i = 0; i < 12; i++)
        {
            sum[i] += values[i];
        }
    }

    private static double Correlation(double[] x, Func<int, double> y)
    {
        var (mx, my) = (x.Average(), Enumerable.Range(0, 12).Average(y));
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < 12; i++)
        {
            var (dx, dy) = (x[i] - mx, y(i) - my);
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxx <= 0 || syy <= 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }
}

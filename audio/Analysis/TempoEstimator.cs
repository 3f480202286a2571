namespace Jacameno.Audio.Analysis;

/// <summary>A tempo and the beat times it implies.</summary>
public sealed record TempoEstimate(double Bpm, IReadOnlyList<double> BeatSeconds, double Confidence);

/// <summary>
/// Tempo and beats from an onset-strength envelope (log-magnitude spectral flux, 10 ms frames), in the manner
/// of librosa and Ellis (2007): autocorrelation weighted by a log-normal tempo prior picks a period; the
/// metrical level is then settled (a click track at 180 is 180, not 90; eighth-note hi-hats do not double a
/// 90 BPM groove); a fine search over tempo and phase aligns a beat grid to the onsets for sub-frame precision.
/// </summary>
public static class TempoEstimator
{
    public const double MinBpm = 40;
    public const double MaxBpm = 210;
    private const double FramesPerSecond = 100;

    public static TempoEstimate? Estimate(float[] mono, int sampleRate)
    {
        var onset = OnsetEnvelope(mono, sampleRate, out var frameRate);
        if (onset.Length < frameRate * 4 || onset.Max() <= 0)
        {
            return null; // under four seconds, or no onsets at all
        }

        var acf = Autocorrelation(onset, (int)(frameRate * 60 / (MinBpm / 2)) + 2);
        var period = BestPeriod(acf, frameRate);
        if (period is null)
        {
            return null;
        }

        // The period to within a fraction of a frame first, so grids at other levels do not drift off the onsets.
        var coarse = Refine(onset, 60 * frameRate / period.Value, frameRate).Bpm;
        var p = SettleLevel(onset, 60 * frameRate / coarse, frameRate);
        var (bpm, phase, score) = Refine(onset, 60 * frameRate / p, frameRate);
        var beatPeriod = 60 * frameRate / bpm;
        var beats = new List<double>();
        for (var t = phase; t < onset.Length; t += beatPeriod)
        {
            beats.Add(Math.Round(t / frameRate, 3));
        }

        var mean = onset.Average();
        var confidence = Math.Clamp((score - mean) / (onset.Max() - mean + 1e-9), 0, 1);
        return new TempoEstimate(Math.Round(bpm, 2), beats, Math.Round(confidence, 3));
    }

    /// <summary>Upper edges (Hz) of the bands whose flux counts equally: kick, bass, snare body, voice, presence, cymbals.</summary>
    private static readonly double[] BandEdges = [150, 400, 1000, 2500, 6000, 11000];

    /// <summary>
    /// Half-wave rectified log-magnitude spectral flux, less its local mean, at 100 frames a second. Flux is
    /// averaged within six bands and the bands summed, so a broadband hi-hat counts as one band's worth,
    /// not as hundreds of bins against a kick's few.
    /// </summary>
    public static float[] OnsetEnvelope(float[] mono, int sampleRate, out double frameRate)
    {
        var size = sampleRate > 32000 ? 2048 : 1024;
        var hop = (int)Math.Round(sampleRate / FramesPerSecond);
        frameRate = (double)sampleRate / hop;
        var spectra = Spectrogram.Magnitudes(mono, size, hop);
        var bins = spectra[0].Length;

        // Level-independent: the log compression below behaves the same for a quiet file as for a loud one.
        double power = 0;
        foreach (var sample in mono)
        {
            power += sample * sample;
        }

        var rms = Math.Sqrt(power / Math.Max(1, mono.Length));
        var band = new int[bins];
        var bandSizes = new int[BandEdges.Length];
        for (var k = 0; k < bins; k++)
        {
            var hz = k * (double)sampleRate / size;
            band[k] = hz < 30 ? -1 : Array.FindIndex(BandEdges, edge => hz < edge);
            if (band[k] >= 0)
            {
                bandSizes[band[k]]++;
            }
        }

        var flux = new float[spectra.Length];
        var previous = new float[bins];
        var sums = new float[BandEdges.Length];
        var scale = rms > 1e-9 ? (float)(0.1 / rms) * 4f / size : 4f / size; // as if at -20 dBFS RMS; a full-scale sine reads about 1
        for (var f = 0; f < spectra.Length; f++)
        {
            Array.Clear(sums);
            for (var k = 1; k < bins; k++)
            {
                if (band[k] < 0)
                {
                    continue;
                }

                var log = MathF.Log(1 + (1000 * scale * spectra[f][k]));
                if (f > 0 && log > previous[k])
                {
                    sums[band[k]] += log - previous[k];
                }

                previous[k] = log;
            }

            for (var b = 0; b < sums.Length; b++)
            {
                flux[f] += bandSizes[b] == 0 ? 0 : sums[b] / bandSizes[b];
            }
        }

        // Frame f's flux is the change from f-1 to f; its time is that of frame f's centre, shifted back by half a hop.
        var shift = (int)Math.Round(size / 2.0 / hop);
        var envelope = new float[flux.Length + shift];
        var reach = (int)frameRate / 4;
        double running = 0;
        var window = new Queue<float>();
        for (var f = 0; f < flux.Length; f++)
        {
            window.Enqueue(flux[f]);
            running += flux[f];
            if (window.Count > (2 * reach) + 1)
            {
                running -= window.Dequeue();
            }

            // Centred local mean, so a steady pad or noise floor does not read as onsets.
            var centre = f - reach;
            if (centre >= 0)
            {
                envelope[centre + shift] = Math.Max(0, flux[centre] - (float)(running / window.Count));
            }
        }

        return envelope;
    }

    private static double[] Autocorrelation(float[] onset, int maxLag)
    {
        var acf = new double[Math.Min(maxLag, onset.Length / 2)];
        for (var lag = 1; lag < acf.Length; lag++)
        {
            double sum = 0;
            for (var i = 0; i + lag < onset.Length; i++)
            {
                sum += onset[i] * onset[i + lag];
            }

            acf[lag] = sum / (onset.Length - lag); // unbiased: long lags are not penalised for overlapping less
        }

        return acf;
    }

    /// <summary>The period (frames) with the strongest autocorrelation under a log-normal prior around 120 BPM (σ one octave).</summary>
    private static double? BestPeriod(double[] acf, double frameRate)
    {
        var (best, bestScore) = (0, 0.0);
        for (var lag = (int)(60 * frameRate / MaxBpm); lag < acf.Length - 1; lag++)
        {
            var bpm = 60 * frameRate / lag;
            if (bpm < MinBpm || acf[lag] < acf[lag - 1] || acf[lag] < acf[lag + 1])
            {
                continue;
            }

            var score = acf[lag] * Math.Exp(-0.5 * Math.Pow(Math.Log2(bpm / 120), 2));
            if (score > bestScore)
            {
                (best, bestScore) = (lag, score);
            }
        }

        return best == 0 ? null : best;
    }

    /// <summary>
    /// Moves to the next faster level while it still has an onset on (nearly) every beat, evenly strong (a click
    /// track at 180 is 180, not the prior's 90); off-beat hi-hats are weaker than the beats, so they do not pass.
    /// </summary>
    private static double SettleLevel(float[] onset, double period, double frameRate)
    {
        while (60 * frameRate / (period / 2) <= MaxBpm && Even(onset, period / 2))
        {
            period /= 2;
        }

        return period;
    }

    private static bool Even(float[] onset, double period)
    {
        var (strengths, threshold) = BeatStrengths(onset, period);
        var filled = strengths.Count(s => s > threshold);
        return filled >= 0.8 * strengths.Count && EvenOddRatio(strengths) >= 0.6;
    }

    private static double EvenOddRatio(IReadOnlyList<double> strengths)
    {
        var even = strengths.Where((_, i) => i % 2 == 0).DefaultIfEmpty(0).Average();
        var odd = strengths.Where((_, i) => i % 2 == 1).DefaultIfEmpty(0).Average();
        return Math.Max(even, odd) <= 0 ? 1 : Math.Min(even, odd) / Math.Max(even, odd);
    }

    /// <summary>The onset peak near each beat of the best-aligned grid of this period, and a threshold for "an onset is there".</summary>
    private static (List<double> Strengths, double Threshold) BeatStrengths(float[] onset, double period)
    {
        var phase = BestPhase(onset, period).Phase;
        var strengths = new List<double>();
        for (var t = phase; t < onset.Length; t += period)
        {
            var centre = (int)Math.Round(t);
            double peak = 0;
            for (var i = Math.Max(0, centre - 2); i <= Math.Min(onset.Length - 1, centre + 2); i++)
            {
                peak = Math.Max(peak, onset[i]);
            }

            strengths.Add(peak);
        }

        var sorted = strengths.Order().ToList();
        return (strengths, 0.25 * sorted[(int)(0.9 * (sorted.Count - 1))]);
    }

    private static (double Phase, double Score) BestPhase(float[] onset, double period)
    {
        var (bestPhase, bestScore) = (0.0, double.MinValue);
        for (var phase = 0.0; phase < period; phase += 0.5)
        {
            var score = GridScore(onset, period, phase);
            if (score > bestScore)
            {
                (bestPhase, bestScore) = (phase, score);
            }
        }

        return (bestPhase, bestScore);
    }

    /// <summary>Mean onset strength (linearly interpolated) on the grid phase + n·period.</summary>
    private static double GridScore(float[] onset, double period, double phase)
    {
        double sum = 0;
        var count = 0;
        for (var t = phase; t < onset.Length - 1; t += period)
        {
            var i = (int)t;
            var frac = t - i;
            sum += (onset[i] * (1 - frac)) + (onset[i + 1] * frac);
            count++;
        }

        return count == 0 ? 0 : sum / count;
    }

    /// <summary>Searches ±3% around the tempo in 0.02 BPM steps for the grid that lands on the onsets best.</summary>
    private static (double Bpm, double Phase, double Score) Refine(float[] onset, double bpm, double frameRate)
    {
        var smooth = new float[onset.Length];
        for (var i = 0; i < onset.Length; i++)
        {
            // A light blur, so a grid a fraction of a frame off still scores.
            smooth[i] = (0.25f * onset[Math.Max(0, i - 1)]) + (0.5f * onset[i]) + (0.25f * onset[Math.Min(onset.Length - 1, i + 1)]);
        }

        var best = (Bpm: bpm, Phase: 0.0, Score: double.MinValue);
        for (var candidate = bpm * 0.97; candidate <= bpm * 1.03; candidate += 0.02)
        {
            var (phase, score) = BestPhase(smooth, 60 * frameRate / candidate);
            if (score > best.Score)
            {
                best = (candidate, phase, score);
            }
        }

        return best;
    }
}

using Jacameno.Audio.Loudness;

namespace Jacameno.Audio.Analysis;

public sealed record PitchReport(
    double? MedianHz,
    string? LowestNote,
    string? HighestNote,
    double? InTunePercent,
    double VoicedPercent,
    double? VibratoRateHz,
    double? VibratoExtentCents,
    double FrameSeconds,
    IReadOnlyList<double?> ContourHz);

public sealed record StereoReport(double Correlation, double Width);

/// <summary>Everything the analysis reports about one file (docs/ai.md lists the fields).</summary>
public sealed record AnalysisReport(
    double IntegratedLufs,
    double LoudnessRangeLu,
    double TruePeakDbtp,
    double SamplePeakDbfs,
    double? TempoBpm,
    double? TempoConfidence,
    IReadOnlyList<double> Beats,
    string? Key,
    double? KeyConfidence,
    string? KeyAlternative,
    PitchReport Pitch,
    double SpectralCentroidHz,
    StereoReport? Stereo,
    int ClippingCount,
    double SilenceStartSeconds,
    double SilenceEndSeconds,
    double DurationSeconds,
    LoopAnalysis? Loop = null);

/// <summary>
/// Track and vocal analysis in one pass over decoded audio: loudness (BS.1770-4), tempo and beats, key,
/// pitch contour with tuning and vibrato, spectral centroid, stereo correlation and width, clipping, silence.
/// Single-threaded; pure computation.
/// </summary>
public static class AudioAnalyzer
{
    /// <summary>A sample at or above this is at full scale; runs of two or more such samples count as one clip.</summary>
    private const float ClipLevel = 0.999f;
    private const float SilenceLevel = 0.001f; // -60 dBFS

    /// <summary>Tempo and key alone (a release's metadata): the cheap part of <see cref="Analyze"/>.</summary>
    public static (TempoEstimate? Tempo, KeyEstimate? Key) TempoAndKey(IReadOnlyList<float[]> channels, int sampleRate)
    {
        var (low, lowRate) = LowMono(Spectrogram.Mono(channels), sampleRate);
        return (TempoEstimator.Estimate(low, lowRate), KeyEstimator.Estimate(low, lowRate));
    }

    /// <summary>Tempo, key and pitch need nothing above 11 kHz: they work on the mono mix at about 22 kHz.</summary>
    internal static (float[] Mono, int SampleRate) LowMono(float[] mono, int sampleRate)
    {
        var factor = Math.Max(1, sampleRate / 22050);
        return (Spectrogram.Decimate(mono, factor), sampleRate / factor);
    }

    /// <param name="channels">Planar samples.</param>
    /// <param name="sampleRate">Their rate.</param>
    /// <param name="key">The key to judge tuning against; the detected key when null.</param>
    public static AnalysisReport Analyze(IReadOnlyList<float[]> channels, int sampleRate, MusicalKey? key = null)
    {
        var frames = channels[0].Length;
        var meter = new LoudnessMeter(sampleRate, channels.Count);
        meter.Process(channels);
        var loudness = meter.Result();

        var mono = Spectrogram.Mono(channels);
        var (low, lowRate) = LowMono(mono, sampleRate);
        var tempo = TempoEstimator.Estimate(low, lowRate);
        var detected = KeyEstimator.Estimate(low, lowRate);
        var contour = PitchTracker.Track(low, lowRate);
        var scaleKey = key ?? detected?.Key;

        return new AnalysisReport(
            Finite(loudness.IntegratedLufs),
            Finite(loudness.LoudnessRangeLu),
            Finite(loudness.TruePeakDbtp),
            Finite(loudness.SamplePeakDbfs),
            tempo?.Bpm,
            tempo?.Confidence,
            tempo?.BeatSeconds ?? [],
            detected?.Key.ToString(),
            detected?.Confidence,
            detected?.Alternative?.ToString(),
            Pitch(contour, scaleKey),
            Math.Round(SpectralCentroid(mono, sampleRate), 1),
            channels.Count >= 2 ? Stereo(channels[0], channels[1]) : null,
            Clipping(channels),
            Math.Round(SilentFrames(channels, fromEnd: false) / (double)sampleRate, 3),
            Math.Round(SilentFrames(channels, fromEnd: true) / (double)sampleRate, 3),
            Math.Round(frames / (double)sampleRate, 3));
    }

    // -inf (silence) has no JSON form; the reports use -999 as the meters' floor.
    private static double Finite(double value) => double.IsFinite(value) ? Math.Round(value, 2) : -999;

    private static PitchReport Pitch(PitchContour contour, MusicalKey? key)
    {
        var voiced = contour.Voiced.Select(v => (double)v).Order().ToList();
        var vibrato = PitchTracker.Vibrato(contour);
        var contourHz = contour.Hz.Select(v => float.IsFinite(v) ? Math.Round(v, 1) : (double?)null).ToList();
        var voicedPercent = contour.Hz.Length == 0 ? 0 : Math.Round(100.0 * voiced.Count / contour.Hz.Length, 1);
        if (voiced.Count == 0)
        {
            return new PitchReport(null, null, null, null, voicedPercent, null, null, contour.FrameSeconds, contourHz);
        }

        // The extremes ignore the outer 1% so a stray octave jump does not set the range.
        var low = voiced[(int)(0.01 * (voiced.Count - 1))];
        var high = voiced[(int)(0.99 * (voiced.Count - 1))];
        double? inTune = key is { } k
            ? Math.Round(100.0 * voiced.Count(hz => Math.Abs(PitchTracker.CentsFromScale(hz, k.Scale)) <= 30) / voiced.Count, 1)
            : null;
        return new PitchReport(Math.Round(voiced[voiced.Count / 2], 1), PitchTracker.Note(low).Name, PitchTracker.Note(high).Name, inTune,
            voicedPercent, vibrato?.RateHz, vibrato?.ExtentCents, contour.FrameSeconds, contourHz);
    }

    /// <summary>The energy-weighted mean of each frame's magnitude-weighted mean frequency.</summary>
    private static double SpectralCentroid(float[] mono, int sampleRate)
    {
        const int size = 2048;
        var spectra = Spectrogram.Magnitudes(mono, size, size);
        double weighted = 0, weights = 0;
        foreach (var spectrum in spectra)
        {
            double sum = 0, moment = 0;
            for (var k = 1; k < spectrum.Length; k++)
            {
                sum += spectrum[k];
                moment += spectrum[k] * k;
            }

            if (sum > 1e-6)
            {
                weighted += moment / sum * sum;
                weights += sum;
            }
        }

        return weights <= 0 ? 0 : weighted / weights * sampleRate / size;
    }

    /// <summary>Pearson correlation of left and right (1 mono, 0 unrelated, −1 out of phase) and width = side/(mid+side) energy.</summary>
    private static StereoReport Stereo(float[] left, float[] right)
    {
        double ll = 0, rr = 0, lr = 0, mid = 0, side = 0;
        for (var i = 0; i < left.Length; i++)
        {
            double l = left[i], r = right[i];
            ll += l * l;
            rr += r * r;
            lr += l * r;
            mid += (l + r) * (l + r);
            side += (l - r) * (l - r);
        }

        var correlation = ll <= 0 || rr <= 0 ? 1 : lr / Math.Sqrt(ll * rr);
        return new StereoReport(Math.Round(correlation, 3), mid + side <= 0 ? 0 : Math.Round(side / (mid + side), 3));
    }

    private static int Clipping(IReadOnlyList<float[]> channels)
    {
        var clips = 0;
        foreach (var channel in channels)
        {
            var run = 0;
            foreach (var sample in channel)
            {
                run = Math.Abs(sample) >= ClipLevel ? run + 1 : 0;
                if (run == 2)
                {
                    clips++;
                }
            }
        }

        return clips;
    }

    private static int SilentFrames(IReadOnlyList<float[]> channels, bool fromEnd)
    {
        var length = channels[0].Length;
        for (var n = 0; n < length; n++)
        {
            var i = fromEnd ? length - 1 - n : n;
            if (channels.Any(c => Math.Abs(c[i]) > SilenceLevel))
            {
                return n;
            }
        }

        return length;
    }
}

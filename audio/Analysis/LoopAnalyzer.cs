using System.Text.RegularExpressions;

namespace Jacameno.Audio.Analysis;

/// <summary>A sample file as a loop library shows it: a loop (its tempo and beats) or a one-shot, and its key when it has one.</summary>
public sealed record LoopAnalysis(double DurationSeconds, double? Bpm, int? Beats, MusicalKey? Key);

/// <summary>
/// Tells a loop from a one-shot and finds a loop's tempo. A loop is cut to a whole number of beats, so its length
/// gives its tempo exactly once the number of beats is known; analysis only has to choose that number. The loop is
/// played four times over (it repeats seamlessly, that is what makes it a loop) so the tempo estimator, which needs
/// several seconds, also hears a one-bar loop; of the beat counts a loop is cut to (1 to 64, whole or three-beat
/// bars), the one whose tempo is within 4% of the estimate (or its double or half) wins. A file is a one-shot when
/// its name says so, when it is under a second, when most of its energy is at its start (a hit that decays), or
/// when no beat count fits. A tempo in the name ("120 bpm") is taken when the length holds a whole number of its beats.
/// </summary>
public static partial class LoopAnalyzer
{
    private static readonly int[] BeatCounts = [4, 8, 2, 16, 1, 32, 64, 3, 6, 12, 24, 48];
    private const double Tolerance = 0.04;
    private const double MinLoopSeconds = 1;
    private const double MinBpm = 50, MaxBpm = 220;

    /// <summary>A key is given where the estimate favours it over its rival at least 3:2 (see <see cref="KeyEstimate.Confidence"/>).</summary>
    private const double KeyConfidence = 0.6;

    public static LoopAnalysis Analyze(IReadOnlyList<float[]> channels, int sampleRate, string fileName)
    {
        var frames = channels[0].Length;
        var seconds = (double)frames / sampleRate;
        var (low, lowRate) = AudioAnalyzer.LowMono(Spectrogram.Mono(channels), sampleRate);
        var key = KeyEstimator.Estimate(low, lowRate) is { Confidence: >= KeyConfidence } k ? k.Key : (MusicalKey?)null;
        var name = Path.GetFileNameWithoutExtension(fileName).ToLowerInvariant();
        var named = NamedLoop().IsMatch(name);
        if (OneShotName().IsMatch(name) || seconds < MinLoopSeconds || (!named && FrontLoaded(low)))
        {
            return new LoopAnalysis(Round(seconds), null, null, key);
        }

        var beats = NamedTempo(name, seconds) ?? EstimatedBeats(low, lowRate, seconds);
        return beats is { } b
            ? new LoopAnalysis(Round(seconds), Math.Round(60 * b / seconds, 3), b, key)
            : new LoopAnalysis(Round(seconds), null, null, key);
    }

    private static double Round(double seconds) => Math.Round(seconds, 3);

    /// <summary>The beats of a tempo written in the name, when the length holds a whole number of them (within 1%).</summary>
    private static int? NamedTempo(string name, double seconds)
    {
        if (NameBpm().Match(name) is not { Success: true } match || !double.TryParse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var bpm)
            || bpm is < MinBpm or > MaxBpm)
        {
            return null;
        }

        var beats = seconds * bpm / 60;
        var whole = (int)Math.Round(beats);
        return whole >= 1 && Math.Abs(beats - whole) <= 0.01 * whole ? whole : null;
    }

    /// <summary>The beat count whose tempo agrees with the estimator's on the loop played four times over.</summary>
    private static int? EstimatedBeats(float[] low, int lowRate, double seconds)
    {
        var repeats = Math.Max(4, (int)Math.Ceiling(12 / seconds));
        var tiled = new float[low.Length * repeats];
        for (var r = 0; r < repeats; r++)
        {
            low.CopyTo(tiled, r * low.Length);
        }

        if (TempoEstimator.Estimate(tiled, lowRate) is not { } estimate)
        {
            return null;
        }

        foreach (var level in new[] { 1.0, 2.0, 0.5 })
        {
            var target = estimate.Bpm * level;
            foreach (var beats in BeatCounts)
            {
                var bpm = 60 * beats / seconds;
                if (bpm is >= MinBpm and <= MaxBpm && Math.Abs(Math.Log(bpm / target)) <= Tolerance)
                {
                    return beats;
                }
            }
        }

        return null;
    }

    /// <summary>Whether seven tenths of the energy is in the first three tenths of the file: a hit decaying, not a pattern.</summary>
    private static bool FrontLoaded(float[] mono)
    {
        double head = 0, total = 0;
        var cut = (int)(mono.Length * 0.3);
        for (var i = 0; i < mono.Length; i++)
        {
            var e = (double)mono[i] * mono[i];
            total += e;
            head += i < cut ? e : 0;
        }

        return total > 0 && head >= 0.7 * total;
    }

    [GeneratedRegex(@"(?<![a-z])(one[ _-]?shots?|hits?|shots?)(?![a-z])")]
    private static partial Regex OneShotName();

    [GeneratedRegex(@"(?<![a-z])loops?(?![a-z])")]
    private static partial Regex NamedLoop();

    [GeneratedRegex(@"(?<![0-9.])(\d{2,3}(?:\.\d+)?)[ _-]?bpm(?![a-z])")]
    private static partial Regex NameBpm();
}

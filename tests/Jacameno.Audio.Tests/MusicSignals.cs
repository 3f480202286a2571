namespace Jacameno.Audio.Tests;

/// <summary>
/// Synthetic music with known ground truth, for the analysis tests and benchmarks: click tracks and drum
/// patterns at a tempo, chord progressions in a key, and a sung-like voice (harmonics, vibrato, glides, breaths).
/// Deterministic: the same arguments give the same samples.
/// </summary>
public static class MusicSignals
{
    public enum Pattern
    {
        Clicks,
        AccentedClicks,
        RockDrums,
        SixteenthDrums,

        /// <summary>Rock drums under chords that change every two beats (A minor).</summary>
        Band,
    }

    public static float[] Rhythm(Pattern pattern, double bpm, double seconds, int rate = 44100, int seed = 1)
    {
        var output = new float[(int)(seconds * rate)];
        var random = new Random(seed);
        var beat = 60.0 / bpm;
        if (pattern == Pattern.Band)
        {
            var drums = Rhythm(Pattern.RockDrums, bpm, seconds, rate, seed);
            var chords = Progression(9, true, rate, 2 * beat);
            return [.. drums.Select((d, i) => d + (0.8f * chords[i % chords.Length]))];
        }

        for (var n = 0; n * beat < seconds; n++)
        {
            var at = n * beat;
            switch (pattern)
            {
                case Pattern.Clicks:
                    Click(output, at, rate, 0.5f);
                    break;
                case Pattern.AccentedClicks:
                    Click(output, at, rate, n % 4 == 0 ? 0.8f : 0.35f);
                    break;
                default:
                    if (n % 2 == 0)
                    {
                        Kick(output, at, rate);
                    }
                    else
                    {
                        Snare(output, at, rate, random);
                    }

                    var subdivisions = pattern == Pattern.RockDrums ? 2 : 4;
                    for (var s = 0; s < subdivisions; s++)
                    {
                        Hat(output, at + (s * beat / subdivisions), rate, random, s == 0 ? 0.12f : 0.07f);
                    }

                    break;
            }
        }

        return output;
    }

    private static void Click(float[] output, double at, int rate, float gain) =>
        Add(output, at, rate, 0.02, t => gain * MathF.Sin(2 * MathF.PI * 1000 * t) * MathF.Exp(-t * 200));

    private static void Kick(float[] output, double at, int rate) =>
        Add(output, at, rate, 0.25, t => 0.8f * MathF.Sin(2 * MathF.PI * ((50 * t) + (100 * (1 - MathF.Exp(-t * 30)) / 30))) * MathF.Exp(-t * 12));

    private static void Snare(float[] output, double at, int rate, Random random) =>
        Add(output, at, rate, 0.15, t => ((0.4f * ((float)random.NextDouble() - 0.5f)) + (0.3f * MathF.Sin(2 * MathF.PI * 190 * t))) * MathF.Exp(-t * 25));

    private static void Hat(float[] output, double at, int rate, Random random, float gain)
    {
        var previous = 0f;
        Add(output, at, rate, 0.04, t =>
        {
            var noise = (float)random.NextDouble() - 0.5f;
            var high = noise - previous; // a first difference: noise tilted to the top octaves
            previous = noise;
            return gain * high * MathF.Exp(-t * 90);
        });
    }

    private static void Add(float[] output, double at, int rate, double length, Func<float, float> sound)
    {
        var start = (int)Math.Round(at * rate);
        for (var i = 0; i < length * rate && start + i < output.Length; i++)
        {
            output[start + i] += sound((float)i / rate);
        }
    }

    /// <summary>
    /// Block chords of the key, one second each (or <paramref name="chordSeconds"/>), with the root doubled an
    /// octave down: I–IV–V–I–vi–IV–V–I in major; i–iv–V–i–VI–iv–V–i in minor (harmonic minor's major V).
    /// </summary>
    public static float[] Progression(int tonic, bool minor, int rate = 44100, double chordSeconds = 1)
    {
        int[][] chords = minor
            ? [[0, 3, 7], [5, 8, 12], [7, 11, 14], [0, 3, 7], [8, 12, 15], [5, 8, 12], [7, 11, 14], [0, 3, 7]]
            : [[0, 4, 7], [5, 9, 12], [7, 11, 14], [0, 4, 7], [9, 12, 16], [5, 9, 12], [7, 11, 14], [0, 4, 7]];
        var chordLength = (int)(chordSeconds * rate);
        var output = new float[chords.Length * chordLength];
        var root = 48 + tonic; // C3..B3
        for (var c = 0; c < chords.Length; c++)
        {
            var notes = chords[c].Select(i => root + i).Prepend(root + chords[c][0] - 12);
            foreach (var midi in notes)
            {
                var hz = 440 * Math.Pow(2, (midi - 69) / 12.0);
                for (var i = 0; i < chordLength; i++)
                {
                    var t = (double)i / rate;
                    var envelope = Math.Min(1, t * 50) * Math.Min(1, (chordSeconds - t) * 20);
                    double sample = 0;
                    for (var h = 1; h <= 5; h++)
                    {
                        sample += Math.Sin(2 * Math.PI * hz * h * t) / (h * h);
                    }

                    output[(c * chordLength) + i] += (float)(0.08 * envelope * sample);
                }
            }
        }

        return output;
    }

    /// <summary>A triad of a progression: its root in semitones above the key's tonic, and whether it is minor.</summary>
    public readonly record struct Triad(int Root, bool Minor);

    /// <summary>
    /// A band playing a progression in a key, a chord a bar of four beats, <paramref name="loops"/> times over: a bass on the
    /// chord's root (C2–B2, on beats one and three), a piano (the triad between G3 and F#4, struck every beat), an arpeggio
    /// of eighth notes an octave up, and rock drums. Every note has a few harmonics, a random detuning of up to ±5 cents and
    /// a decay; the mix is set to a peak of <paramref name="peakDbfs"/>.
    /// </summary>
    public static float[] Song(int tonic, IReadOnlyList<Triad> chords, double bpm, double peakDbfs, int loops = 2, int rate = 44100, int seed = 1)
    {
        var beat = 60.0 / bpm;
        var bars = chords.Count * loops;
        var output = Rhythm(Pattern.RockDrums, bpm, (bars * 4 * beat) + 0.5, rate, seed);
        for (var i = 0; i < output.Length; i++)
        {
            output[i] *= 0.3f;
        }

        var random = new Random(seed);
        for (var bar = 0; bar < bars; bar++)
        {
            var chord = chords[bar % chords.Count];
            int[] tones = [.. new[] { 0, chord.Minor ? 3 : 4, 7 }.Select(i => (tonic + chord.Root + i) % 12)];
            var at = bar * 4 * beat;
            for (var b = 0; b < 4; b += 2)
            {
                Note(output, at + (b * beat), 2 * beat, 36 + tones[0], 0.5f, 3, BassTone, rate, random);
            }

            for (var b = 0; b < 4; b++)
            {
                foreach (var tone in tones)
                {
                    Note(output, at + (b * beat), beat, 55 + ((tone - 55 + 120) % 12), 0.18f, 4, PianoTone, rate, random);
                }
            }

            for (var e = 0; e < 8; e++)
            {
                Note(output, at + (e * beat / 2), beat / 2, 67 + ((tones[e % 4 == 3 ? 1 : e % 4] - 67 + 120) % 12), 0.12f, 8, PluckTone, rate, random);
            }
        }

        var gain = (float)(Math.Pow(10, peakDbfs / 20) / output.Max(Math.Abs));
        for (var i = 0; i < output.Length; i++)
        {
            output[i] *= gain;
        }

        return output;
    }

    private static readonly float[] BassTone = Wavetable(1, 0.5, 0.25, 0.12);
    private static readonly float[] PianoTone = Wavetable(1, 0.5, 0.33, 0.25, 0.2, 0.1);
    private static readonly float[] PluckTone = Wavetable(1, 0.3, 0.1);

    /// <summary>One period of a tone with the given harmonic amplitudes, 4096 samples.</summary>
    private static float[] Wavetable(params double[] harmonics) =>
        [.. Enumerable.Range(0, 4096).Select(i => (float)harmonics.Select((a, h) => a * Math.Sin(2 * Math.PI * (h + 1) * i / 4096)).Sum())];

    /// <summary>A note from a wavetable: 5 ms attack, exponential decay (per second), 10 ms release at its end.</summary>
    private static void Note(float[] output, double at, double seconds, double midi, float gain, double decay, float[] table, int rate, Random random)
    {
        var hz = 440 * Math.Pow(2, (midi + ((random.NextDouble() - 0.5) * 0.1) - 69) / 12);
        var (start, length) = ((int)Math.Round(at * rate), (int)(seconds * rate));
        var (step, fall) = (hz * table.Length / rate, (float)Math.Exp(-decay / rate));
        var (phase, envelope) = (random.NextDouble() * table.Length, gain);
        for (var i = 0; i < length && start + i < output.Length; i++)
        {
            var edge = Math.Min(1f, Math.Min(i / (0.005f * rate), (length - i) / (0.01f * rate)));
            output[start + i] += envelope * edge * table[(int)phase];
            envelope *= fall;
            phase += step;
            if (phase >= table.Length)
            {
                phase -= table.Length;
            }
        }
    }

    /// <summary>A phrase of the voice: notes (MIDI, seconds) sung legato with glides between, vibrato on each.</summary>
    public sealed record Phrase(double Start, (double Midi, double Seconds)[] Notes);

    /// <summary>
    /// A sung-like voice: a harmonic source (partials falling 9 dB an octave, a formant near 700 Hz) whose f0
    /// follows the phrases, with 150 ms glides between notes, vibrato (rate Hz, extent ± cents) after the first
    /// 250 ms of each note, a little breath noise, and silence between phrases. Returns the samples and the true
    /// f0 every <paramref name="frameSeconds"/> (NaN where silent).
    /// </summary>
    public static (float[] Samples, double[] TrueHz) Voice(IReadOnlyList<Phrase> phrases, double seconds, double vibratoHz, double vibratoCents,
        double frameSeconds = 0.01, int rate = 44100, int seed = 7)
    {
        var count = (int)(seconds * rate);
        var f0 = new double[count];
        Array.Fill(f0, double.NaN);
        foreach (var phrase in phrases)
        {
            var t = phrase.Start;
            for (var n = 0; n < phrase.Notes.Length; n++)
            {
                var (midi, length) = phrase.Notes[n];
                var previous = n == 0 ? midi : phrase.Notes[n - 1].Midi;
                for (var i = (int)(t * rate); i < (int)((t + length) * rate) && i < count; i++)
                {
                    var local = ((double)i / rate) - t;
                    var glide = local < 0.15 ? previous + ((midi - previous) * (0.5 - (0.5 * Math.Cos(Math.PI * local / 0.15)))) : midi;
                    var vibrato = local > 0.25 ? vibratoCents / 100 * Math.Sin(2 * Math.PI * vibratoHz * (local - 0.25)) : 0;
                    f0[i] = 440 * Math.Pow(2, (glide + vibrato - 69) / 12);
                }

                t += length;
            }
        }

        var random = new Random(seed);
        var samples = new float[count];
        double phase = 0;
        for (var i = 0; i < count; i++)
        {
            var breath = 0.002 * (random.NextDouble() - 0.5);
            if (double.IsNaN(f0[i]))
            {
                samples[i] = (float)breath;
                continue;
            }

            phase += 2 * Math.PI * f0[i] / rate;
            double sample = 0;
            for (var h = 1; h * f0[i] < rate / 2.5 && h <= 30; h++)
            {
                var formant = 1 + (2 * Math.Exp(-Math.Pow((h * f0[i] - 700) / 300, 2)));
                sample += formant * Math.Pow(h, -1.5) * Math.Sin(h * phase);
            }

            samples[i] = (float)((0.15 * sample) + breath);
        }

        var frames = (int)(seconds / frameSeconds);
        var truth = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            truth[f] = f0[Math.Min(count - 1, (int)(((f * frameSeconds) + 0.02) * rate))];
        }

        return (samples, truth);
    }
}

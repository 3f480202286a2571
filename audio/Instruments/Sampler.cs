using Jacameno.Audio.Effects;
using Jacameno.Audio.Rendering;

namespace Jacameno.Audio.Instruments;

/// <summary>A sample of a built-in instrument: its source, the key it sounds as recorded at, and the keys and velocities it answers (inclusive).</summary>
public sealed record RenderZone(Guid SourceId, int Root, int Low, int High, int LowVelocity, int HighVelocity);

/// <summary>
/// A piecewise-linear envelope (seconds; <see cref="Sustain"/> 0-1): up to 1 over the attack, down to the sustain level
/// over the decay, held there, then down to 0 over the release from where it was when the note ended. The browser draws
/// the same corners with linear ramps (frontend/web/src/editor/synth.ts), so both give the same level at every sample.
/// </summary>
public readonly record struct Envelope(double Attack, double Decay, double Sustain, double Release)
{
    /// <summary>The level <paramref name="t"/> seconds into a note whose key is still down.</summary>
    public double Holding(double t) =>
        t < Attack ? t / Attack
        : t < Attack + Decay ? 1 - ((1 - Sustain) * (t - Attack) / Decay)
        : Sustain;

    /// <summary>The level <paramref name="t"/> seconds into a note held for <paramref name="held"/> seconds.</summary>
    public double At(double t, double held) =>
        t < 0 ? 0
        : t < held ? Holding(t)
        : Release <= 0 ? 0
        : Math.Max(0, Holding(held) * (1 - ((t - held) / Release)));
}

/// <summary>
/// The built-in instruments: <c>sampler</c> (zones under an ADSR envelope; one-shot optionally) and <c>drums</c> (pads
/// played to their end). A note starts a voice in every zone that answers its key and velocity, reading the zone's
/// audio (at the render's rate) 2^((key − root)/12) times as fast with linear interpolation, as the browser's
/// AudioBufferSourceNode does, at a level of gain × (1 − v + v·(velocity/127)²) for the velocity sensitivity v.
/// </summary>
public sealed class Sampler : NoteInstrument
{
    /// <summary>Voices sounding at once; a note beyond them takes the place of the oldest.</summary>
    public const int MaxVoices = 256;

    private readonly int rate;
    private readonly List<(RenderZone Zone, float[] Left, float[] Right)> zones;
    private readonly Envelope envelope;
    private readonly bool oneShot;
    private readonly double gain, sensitivity;
    private readonly List<Voice> voices = [];

    private sealed class Voice(int pitch, float[] left, float[] right, double step, double level)
    {
        public int Pitch { get; } = pitch;
        public float[] Left { get; } = left;
        public float[] Right { get; } = right;
        public double Step { get; } = step;
        public double Level { get; } = level;
        public long Age { get; set; }
        public long Held { get; set; } = long.MaxValue;
    }

    private Sampler(RenderEffect spec, int rate, IEnumerable<(RenderZone, float[], float[])> zones)
    {
        var p = EffectCatalog.Validate(spec.Type, spec.Parameters);
        this.rate = rate;
        this.zones = [.. zones];
        var drums = spec.Type == "drums";
        envelope = drums ? new Envelope(0, 0, 1, 0) : new Envelope(p["attackMs"] / 1000, p["decayMs"] / 1000, p["sustain"], p["releaseMs"] / 1000);
        oneShot = drums || p["oneShot"] >= 0.5;
        gain = Math.Pow(10, p["gainDb"] / 20);
        sensitivity = p["velocity"];
    }

    /// <summary>The instrument for a built-in spec, its zones' audio from <paramref name="sources"/> (zones without audio are left out).</summary>
    public static Sampler Create(RenderEffect spec, int rate, Func<Guid, float[][]?> sources) =>
        new(spec, rate, (spec.Zones ?? []).Select(z => (Zone: z, Audio: sources(z.SourceId)))
            .Where(z => z.Audio is { Length: > 0 } audio && audio[0].Length > 0)
            .Select(z => (z.Zone, z.Audio![0], z.Audio[z.Audio.Length > 1 ? 1 : 0])));

    /// <summary>The level of a note of this velocity, before the envelope.</summary>
    public static double Level(double gain, double sensitivity, int velocity) => gain * (1 - sensitivity + (sensitivity * Math.Pow(velocity / 127.0, 2)));

    protected override void NoteOff(int key)
    {
        foreach (var voice in voices.Where(v => v.Pitch == key && v.Held == long.MaxValue && !oneShot))
        {
            voice.Held = voice.Age;
        }
    }

    protected override void NoteOn(int pitch, int velocity)
    {
        foreach (var (zone, left, right) in zones)
        {
            if (pitch < zone.Low || pitch > zone.High || velocity < zone.LowVelocity || velocity > zone.HighVelocity)
            {
                continue;
            }

            if (voices.Count >= MaxVoices)
            {
                voices.RemoveAt(0);
            }

            voices.Add(new Voice(pitch, left, right, Math.Pow(2, (pitch - zone.Root) / 12.0), Level(gain, sensitivity, velocity)));
        }
    }

    /// <summary>Adds every voice to frames [from, to) of the block, and lets go of those that ended.</summary>
    protected override void Play(float[][] planar, int from, int to)
    {
        var release = (long)Math.Ceiling(envelope.Release * rate);
        foreach (var voice in voices)
        {
            var length = voice.Left.Length;
            for (var i = from; i < to; i++, voice.Age++)
            {
                var position = voice.Age * voice.Step;
                if (position >= length || (voice.Held != long.MaxValue && voice.Age >= voice.Held + release))
                {
                    voice.Age = long.MinValue; // ended
                    break;
                }

                var index = (int)position;
                var next = Math.Min(index + 1, length - 1);
                var fraction = (float)(position - index);
                var level = (float)(voice.Level * envelope.At((double)voice.Age / rate, voice.Held == long.MaxValue ? double.PositiveInfinity : (double)voice.Held / rate));
                planar[0][i] += (voice.Left[index] + (fraction * (voice.Left[next] - voice.Left[index]))) * level;
                planar[1][i] += (voice.Right[index] + (fraction * (voice.Right[next] - voice.Right[index]))) * level;
            }
        }

        voices.RemoveAll(v => v.Age < 0);
    }
}

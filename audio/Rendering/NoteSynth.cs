using Jacameno.Audio.Instruments;
namespace Jacameno.Audio.Rendering;

/// <summary>A MIDI note of a clip: start and length in samples from the clip's start; pitch and velocity as MIDI's (0-127).</summary>
public sealed record RenderNote(long Start, long Length, int Pitch, int Velocity);

/// <summary>
/// The instrument MIDI clips play until tracks can choose one: a soft voice of two sines (the note and, quieter,
/// its octave) under an <see cref="Envelope"/>.
/// Every sample is a function of its time in the note alone, so blocks join without state. The browser's preview
/// (frontend/web/src/editor/synth.ts) plays the same voice with oscillators and the same envelope points.
/// </summary>
public static class NoteSynth
{
    public const double AttackSeconds = 0.005;
    public const double DecaySeconds = 0.3;
    public const double Sustain = 0.6;
    public const double ReleaseSeconds = 0.1;
    public const double OctaveLevel = 0.3;

    public static double Frequency(int pitch) => 440 * Math.Pow(2, (pitch - 69) / 12.0);

    /// <summary>The voice's peak for a velocity: quadratic, as velocity feels, a quarter of full scale at 127.</summary>
    public static double Peak(int velocity) => 0.25 * Math.Pow(Math.Clamp(velocity, 0, 127) / 127.0, 2);

    /// <summary>The voice's envelope.</summary>
    public static readonly Envelope Voice = new(AttackSeconds, DecaySeconds, Sustain, ReleaseSeconds);

    /// <summary>Adds the notes of a clip that sound in this block to both channels, with the clip's gain; a note's release ends at the clip's end.</summary>
    internal static void Play(RenderClip clip, int rate, float[][] buffer, long blockStart, int count)
    {
        var gain = Math.Pow(10, clip.GainDb / 20);
        var clipEnd = clip.Start + clip.Length;
        var release = (long)Math.Ceiling(ReleaseSeconds * rate);
        foreach (var note in clip.Notes ?? [])
        {
            var noteStart = clip.Start + note.Start;
            var from = Math.Max(noteStart, blockStart);
            var to = Math.Min(Math.Min(noteStart + note.Length + release, clipEnd), blockStart + count);
            var (omega, peak, held) = (2 * Math.PI * Frequency(note.Pitch) / rate, gain * Peak(note.Velocity), (double)note.Length / rate);
            for (var at = from; at < to; at++)
            {
                var n = at - noteStart;
                var position = at - clip.Start;
                var level = peak * Voice.At((double)n / rate, held)
                    * ProjectRenderer.Fade(position, clip.FadeIn, clip.FadeInShape) * ProjectRenderer.Fade(clip.Length - 1 - position, clip.FadeOut, clip.FadeOutShape);
                var sample = (float)(level * (Math.Sin(omega * n) + (OctaveLevel * Math.Sin(2 * omega * n))));
                buffer[0][at - blockStart] += sample;
                buffer[1][at - blockStart] += sample;
            }
        }
    }
}

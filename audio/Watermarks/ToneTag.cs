namespace Jacameno.Audio.Watermarks;

/// <summary>
/// An audible watermark for previews: a two-note chime (A5 and E6, struck and decaying over 0.8 s) mixed in
/// every <see cref="Interval"/> seconds from <see cref="Offset"/>, loud enough that a preview is no substitute
/// for the licensed file and quiet enough to judge the music by.
/// </summary>
public static class ToneTag
{
    public const double Offset = 1;
    public const double Interval = 15;
    public const double Seconds = 0.8;
    public static readonly double[] Frequencies = [880, 1318.5];

    /// <summary>The planar audio with the tag mixed in (a new copy, clamped to full scale).</summary>
    public static float[][] Apply(IReadOnlyList<float[]> audio, int sampleRate, double peak = 0.3)
    {
        var output = audio.Select(c => (float[])c.Clone()).ToArray();
        var length = output[0].Length;
        var tagLength = (int)(Seconds * sampleRate);
        for (var start = (int)(Offset * sampleRate); start < length; start += (int)(Interval * sampleRate))
        {
            for (var i = 0; i < tagLength && start + i < length; i++)
            {
                var t = (double)i / sampleRate;
                var envelope = Math.Min(1, i / (0.005 * sampleRate)) * Math.Exp(-4 * t);
                var sample = (float)(peak * envelope * Frequencies.Average(f => Math.Sin(2 * Math.PI * f * t)));
                foreach (var channel in output)
                {
                    channel[start + i] = Math.Clamp(channel[start + i] + sample, -1f, 1f);
                }
            }
        }

        return output;
    }
}

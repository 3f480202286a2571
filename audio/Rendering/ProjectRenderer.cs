using Jacameno.Audio.Effects;

namespace Jacameno.Audio.Rendering;

public enum FadeShape
{
    Linear,
    Exponential,
    Logarithmic,
    SCurve,
}

public sealed record RenderEffect(string Type, IReadOnlyDictionary<string, double> Parameters, bool Bypass = false);

/// <summary>A clip: where it sits (samples at the project rate), which source and from where, gain and fades.</summary>
public sealed record RenderClip(long Start, long Length, Guid? SourceId, long Offset = 0, double GainDb = 0,
    long FadeIn = 0, FadeShape FadeInShape = FadeShape.Linear, long FadeOut = 0, FadeShape FadeOutShape = FadeShape.Linear, bool Muted = false);

/// <summary>A track; <see cref="Output"/> is a bus track's id, or null for the master.</summary>
public sealed record RenderTrack(Guid Id, bool IsBus, IReadOnlyList<RenderClip> Clips, IReadOnlyList<RenderEffect> Effects,
    double VolumeDb = 0, double Pan = 0, bool Mute = false, bool Solo = false, Guid? Output = null);

public sealed record RenderProject(int SampleRate, double Tempo, IReadOnlyList<RenderTrack> Tracks, IReadOnlyList<RenderEffect> MasterEffects,
    double MasterVolumeDb = 0, long? Length = null);

/// <summary>Decoded audio of a clip's source, at its own rate, mono or stereo.</summary>
public sealed record AudioSource(int SampleRate, float[][] Samples);

/// <summary>
/// Offline render of a project to stereo: clips placed sample-accurately (source resampled to the project
/// rate once per source), clip gain and fades, track effects, volume and constant-power pan, mute and solo,
/// buses in routing order, then the master chain and volume. Works in blocks, so effects see a stream.
/// MIDI clips (no source) are silent until there is an instrument to play them.
/// </summary>
public static class ProjectRenderer
{
    private const int Block = 4096;

    public static float[][] Render(RenderProject project, Func<Guid, AudioSource?> sources)
    {
        var rate = project.SampleRate;
        var length = project.Length ?? project.Tracks.SelectMany(t => t.Clips).Select(c => c.Start + c.Length).DefaultIfEmpty(0).Max();
        var master = new[] { new float[length], new float[length] };
        var resampled = new Dictionary<Guid, float[][]?>();
        float[][]? Source(Guid id)
        {
            if (!resampled.TryGetValue(id, out var audio))
            {
                var source = sources(id);
                resampled[id] = audio = source is null ? null : [.. source.Samples.Take(2).Select(c => Resampler.Resample(c, source.SampleRate, rate))];
            }

            return audio;
        }

        var anySolo = project.Tracks.Any(t => t.Solo && !t.IsBus);
        var busInputs = project.Tracks.Where(t => t.IsBus).ToDictionary(t => t.Id, _ => new[] { new float[length], new float[length] });
        foreach (var track in Order(project.Tracks))
        {
            var audible = !track.Mute && (track.IsBus || !anySolo || track.Solo);
            var buffer = track.IsBus ? busInputs[track.Id] : new[] { new float[length], new float[length] };
            if (!audible)
            {
                continue;
            }

            if (!track.IsBus)
            {
                foreach (var clip in track.Clips.Where(c => !c.Muted && c.SourceId is not null))
                {
                    if (Source(clip.SourceId!.Value) is { } audio)
                    {
                        Place(clip, audio, buffer, length);
                    }
                }
            }

            var effects = track.Effects.Where(e => !e.Bypass).Select(e => EffectCatalog.Create(e.Type, e.Parameters, new EffectContext(rate, 2, project.Tempo))).ToList();
            var (left, right) = Pan(track.Pan, track.VolumeDb);
            var target = track.Output is { } bus && busInputs.TryGetValue(bus, out var input) ? input : master;
            for (var start = 0; start < length; start += Block)
            {
                var count = (int)Math.Min(Block, length - start);
                foreach (var effect in effects)
                {
                    effect.Process(buffer, start, count);
                }

                for (var i = start; i < start + count; i++)
                {
                    target[0][i] += buffer[0][i] * left;
                    target[1][i] += buffer[1][i] * right;
                }
            }
        }

        var masterEffects = project.MasterEffects.Where(e => !e.Bypass).Select(e => EffectCatalog.Create(e.Type, e.Parameters, new EffectContext(rate, 2, project.Tempo))).ToList();
        var volume = (float)Math.Pow(10, project.MasterVolumeDb / 20);
        for (var start = 0; start < length; start += Block)
        {
            var count = (int)Math.Min(Block, length - start);
            foreach (var effect in masterEffects)
            {
                effect.Process(master, start, count);
            }

            for (var i = start; i < start + count; i++)
            {
                master[0][i] *= volume;
                master[1][i] *= volume;
            }
        }

        return master;
    }

    /// <summary>Copies the clip's part of the source into place, with its gain and fades.</summary>
    private static void Place(RenderClip clip, float[][] audio, float[][] buffer, long length)
    {
        var gain = Math.Pow(10, clip.GainDb / 20);
        var end = Math.Min(clip.Start + clip.Length, length);
        for (var at = Math.Max(0, clip.Start); at < end; at++)
        {
            var position = at - clip.Start;
            var source = clip.Offset + position;
            if (source >= audio[0].Length)
            {
                break;
            }

            var g = gain * Fade(position, clip.FadeIn, clip.FadeInShape) * Fade(clip.Length - 1 - position, clip.FadeOut, clip.FadeOutShape);
            buffer[0][at] += (float)(audio[0][source] * g);
            buffer[1][at] += (float)(audio[audio.Length > 1 ? 1 : 0][source] * g);
        }
    }

    /// <summary>The gain <paramref name="position"/> samples into a fade of <paramref name="length"/> samples.</summary>
    private static double Fade(long position, long length, FadeShape shape)
    {
        if (position >= length)
        {
            return 1;
        }

        var x = (double)position / length;
        return shape switch
        {
            FadeShape.Exponential => x * x,
            FadeShape.Logarithmic => Math.Sqrt(x),
            FadeShape.SCurve => (1 - Math.Cos(Math.PI * x)) / 2,
            _ => x,
        };
    }

    /// <summary>Constant-power pan (-3 dB law, unity in the centre) times the track volume.</summary>
    private static (float Left, float Right) Pan(double pan, double volumeDb)
    {
        var theta = (Math.Clamp(pan, -1, 1) + 1) * Math.PI / 4;
        var volume = Math.Pow(10, volumeDb / 20) * Math.Sqrt(2);
        return ((float)(Math.Cos(theta) * volume), (float)(Math.Sin(theta) * volume));
    }

    /// <summary>Source tracks first, then buses so that every bus comes after everything routed into it.</summary>
    private static IEnumerable<RenderTrack> Order(IReadOnlyList<RenderTrack> tracks)
    {
        var done = new HashSet<Guid>();
        var buses = tracks.Where(t => t.IsBus).ToList();
        foreach (var track in tracks.Where(t => !t.IsBus))
        {
            done.Add(track.Id);
            yield return track;
        }

        while (buses.Count > 0)
        {
            var ready = buses.FirstOrDefault(b => tracks.Where(t => t.Output == b.Id).All(t => done.Contains(t.Id))) ?? buses[0];
            buses.Remove(ready);
            done.Add(ready.Id);
            yield return ready;
        }
    }
}

using Jacameno.Audio.Effects;
using Jacameno.Audio.Instruments;

namespace Jacameno.Audio.Rendering;

public enum FadeShape
{
    Linear,
    Exponential,
    Logarithmic,
    SCurve,
}

/// <summary>
/// An effect of a chain, or a track's instrument; <see cref="Sidechain"/> is the track whose signal keys it (a
/// compressor's detector); <see cref="State"/> is a hosted plugin's saved state (base64), restored before its parameters;
/// <see cref="Automation"/> moves parameters over time (by name); <see cref="Zones"/> are a sampler's or drum machine's
/// samples; <see cref="SoundFont"/> is the path of the file a soundfont instrument plays.
/// </summary>
public sealed record RenderEffect(string Type, IReadOnlyDictionary<string, double> Parameters, bool Bypass = false, Guid? Sidechain = null,
    string? State = null, IReadOnlyDictionary<string, AutomationEnvelope>? Automation = null, IReadOnlyList<RenderZone>? Zones = null,
    string? SoundFont = null)
{
    /// <summary>Built-in effects have plain names; hosted plugins are "vst2:…" or "lv2:…".</summary>
    public bool IsPlugin => Type.Contains(':', StringComparison.Ordinal);
}

/// <summary>
/// A clip: where it sits (samples at the project rate), which source and from where, gain and fades; a MIDI clip
/// has no source and plays its <see cref="Notes"/> (<see cref="NoteSynth"/>). <see cref="TimeRatio"/> (output ÷ source
/// length) and <see cref="Semitones"/> play the source stretched and transposed (<see cref="TimeStretch"/>); its
/// <see cref="Offset"/> stays in the source's own samples.
/// </summary>
public sealed record RenderClip(long Start, long Length, Guid? SourceId, long Offset = 0, double GainDb = 0,
    long FadeIn = 0, FadeShape FadeInShape = FadeShape.Linear, long FadeOut = 0, FadeShape FadeOutShape = FadeShape.Linear, bool Muted = false,
    IReadOnlyList<RenderNote>? Notes = null, double TimeRatio = 1, double Semitones = 0, bool PreserveFormants = false)
{
    public bool Stretched => TimeRatio != 1 || Semitones != 0;
}

/// <summary>
/// A track; <see cref="Output"/> is a bus track's id, or null for the master. <see cref="Instrument"/> plays the MIDI
/// clips' notes (a built-in <see cref="Sampler"/> or a hosted plugin); without one they play on <see cref="NoteSynth"/>.
/// Volume (dB) and pan automation, when given, replace <see cref="VolumeDb"/> and <see cref="Pan"/>. <see cref="Sends"/>
/// feed buses too.
/// </summary>
public sealed record RenderTrack(Guid Id, bool IsBus, IReadOnlyList<RenderClip> Clips, IReadOnlyList<RenderEffect> Effects,
    double VolumeDb = 0, double Pan = 0, bool Mute = false, bool Solo = false, Guid? Output = null, RenderEffect? Instrument = null,
    AutomationEnvelope? VolumeAutomation = null, AutomationEnvelope? PanAutomation = null, IReadOnlyList<RenderSend>? Sends = null)
{
    /// <summary>The sources the track plays: its clips' and its instrument's samples.</summary>
    public IEnumerable<Guid> Sources => Clips.Select(c => c.SourceId).OfType<Guid>().Concat(Instrument?.Zones?.Select(z => z.SourceId) ?? []);
}

/// <summary>
/// A track's send to a bus: its signal at <see cref="LevelDb"/> (or its lane, in dB), after the track's fader and pan,
/// or <see cref="PreFader"/>: after its effects, before them.
/// </summary>
public sealed record RenderSend(Guid Bus, double LevelDb, bool PreFader = false, AutomationEnvelope? Level = null);

/// <remarks>
/// <see cref="Length"/>: where the render ends (default: the end of the last clip). <see cref="From"/>: where it starts
/// (a preview's window); effects start fresh there, and notes begun before it are not heard.
/// </remarks>
public sealed record RenderProject(int SampleRate, double Tempo, IReadOnlyList<RenderTrack> Tracks, IReadOnlyList<RenderEffect> MasterEffects,
    double MasterVolumeDb = 0, long? Length = null, AutomationEnvelope? MasterVolumeAutomation = null, long From = 0);

/// <summary>Decoded audio of a clip's source, at its own rate, mono or stereo.</summary>
public sealed record AudioSource(int SampleRate, float[][] Samples);

/// <summary>
/// Offline render of a project to stereo: clips placed sample-accurately (source resampled to the project
/// rate once per source), clip gain and fades, track effects, volume and constant-power pan, mute and solo,
/// buses in routing order, then the master chain and volume. Works in blocks, so effects see a stream.
/// MIDI clips play their notes on the track's instrument, or on <see cref="NoteSynth"/>. Hosted plugins come from
/// the <see cref="IPluginRack"/>; without one (or when it lacks a plugin) they are bypassed.
/// </summary>
public static class ProjectRenderer
{
    /// <summary>
    /// Frames per block. Offline, larger blocks cost nothing in latency; a hosted plugin pays one round trip to its
    /// process per block, which at 8192 frames is a few percent of the plugin's own work (benchmarks/README.md).
    /// </summary>
    public const int BlockFrames = 8192;
    private const int Block = BlockFrames;

    public static float[][] Render(RenderProject project, Func<Guid, AudioSource?> sources, IPluginRack? plugins = null)
    {
        var created = new List<object>();
        try
        {
            return Render(project, sources, plugins, created);
        }
        finally
        {
            // Hosted plugins are processes: end them whatever happened.
            foreach (var disposable in created.OfType<IDisposable>())
            {
                disposable.Dispose();
            }
        }
    }

    private static float[][] Render(RenderProject project, Func<Guid, AudioSource?> sources, IPluginRack? plugins, List<object> created)
    {
        IEffect? Effect(RenderEffect spec, EffectContext context)
        {
            // An instrument that is not first in its chain plays nothing there.
            var effect = spec.IsPlugin ? plugins?.CreateEffect(spec, context)
                : EffectCatalog.IsInstrument(spec.Type) ? null : EffectCatalog.Create(spec.Type, spec.Parameters, context);
            if (effect is not null)
            {
                created.Add(effect);
            }

            return effect;
        }

        IInstrument? Instrument(RenderTrack track, EffectContext context)
        {
            var instrument = track.Instrument is not { Bypass: false } spec || track.IsBus ? null
                : spec.IsPlugin ? plugins?.CreateInstrument(spec, context)
                : spec.Type == "soundfont" ? SoundFontSynth.Create(spec, project.SampleRate)
                : Sampler.Create(spec, project.SampleRate, Source);
            if (instrument is not null)
            {
                created.Add(instrument);
            }

            return instrument;
        }

        var rate = project.SampleRate;
        var length = project.Length ?? project.Tracks.SelectMany(t => t.Clips).Select(c => c.Start + c.Length).DefaultIfEmpty(0).Max();
        var from = Math.Clamp(project.From, 0, length);
        var output = new[] { new float[length - from], new float[length - from] };
        var resampled = new Dictionary<Guid, float[][]?>();
        // Each stretched version of a source is made once per render, whole (Rubber Band studies it first).
        var stretched = new Dictionary<(Guid, double, double, bool), float[][]>();
        float[][] Stretched(RenderClip clip, Guid id, float[][] audio)
        {
            var key = (id, clip.TimeRatio, clip.Semitones, clip.PreserveFormants);
            if (!stretched.TryGetValue(key, out var result))
            {
                stretched[key] = result = TimeStretch.Process(audio, rate, clip.TimeRatio, clip.Semitones, clip.PreserveFormants);
            }

            return result;
        }

        float[][]? Source(Guid id)
        {
            if (!resampled.TryGetValue(id, out var audio))
            {
                var source = sources(id);
                resampled[id] = audio = source is null ? null
                    : source.SampleRate == rate ? [.. source.Samples.Take(2)]
                    : [.. source.Samples.Take(2).Select(c => Resampler.Resample(c, source.SampleRate, rate))];
            }

            return audio;
        }

        // Everything works on one block at a time: a buffer per track and bus, reused, so memory does not
        // grow with the number of tracks and effects see a stream.
        var anySolo = project.Tracks.Any(t => t.Solo && !t.IsBus);
        var context = new EffectContext(rate, 2, project.Tempo);
        // A track that keys a sidechain is processed even when muted or not soloed (a ghost kick ducks the bass), but not heard.
        var keys = project.Tracks.SelectMany(t => t.Effects).Where(e => !e.Bypass && e.Sidechain is not null).Select(e => e.Sidechain!.Value).ToHashSet();
        var chains = Order(project.Tracks)
            .Select(t => (Track: t, Audible: !t.Mute && (t.IsBus || !anySolo || t.Solo)))
            .Where(t => t.Audible || keys.Contains(t.Track.Id))
            .Select(t => (t.Track, t.Audible, Effects: t.Track.Effects.Where(e => !e.Bypass).Select(e => (Spec: e, Effect: Effect(e, context))).Where(e => e.Effect is not null).ToList(),
                Gains: Pan(t.Track.Pan, t.Track.VolumeDb), Buffer: new[] { new float[Block], new float[Block] }, Instrument: Instrument(t.Track, context)))
            .ToList();
        var buffers = chains.ToDictionary(c => c.Track.Id, c => c.Buffer);
        var master = new[] { new float[Block], new float[Block] };
        var masterEffects = project.MasterEffects.Where(e => !e.Bypass).Select(e => (Spec: e, Effect: Effect(e, context))).Where(e => e.Effect is not null).ToList();
        var midi = new List<MidiEvent>();
        var volume = (float)Math.Pow(10, project.MasterVolumeDb / 20);
        var (automatedLeft, automatedRight, automatedVolume, automatedPan) = (new float[Block], new float[Block], new double[Block], new double[Block]);
        var instrumentLevels = new double[Block];
        var pluginSteps = new PluginSteps();
        var sendLevels = new double[Block];
        for (var start = from; start < length; start += Block)
        {
            var count = (int)Math.Min(Block, length - start);
            foreach (var buffer in chains.Select(c => c.Buffer).Append(master))
            {
                Array.Clear(buffer[0]);
                Array.Clear(buffer[1]);
            }

            foreach (var (track, audible, effects, (left, right), buffer, instrument) in chains)
            {
                if (instrument is not null)
                {
                    NoteEvents(track, start, count, midi);
                    Play(track.Instrument!, instrument, buffer, start, count, midi, instrumentLevels, pluginSteps);
                }

                if (!track.IsBus)
                {
                    foreach (var clip in track.Clips)
                    {
                        if (clip.Muted || clip.Start >= start + count || clip.Start + clip.Length <= start)
                        {
                            continue;
                        }

                        if (clip.SourceId is { } id && Source(id) is { } audio)
                        {
                            if (clip.Stretched)
                            {
                                Place(clip with { Offset = (long)Math.Round(clip.Offset * clip.TimeRatio) }, Stretched(clip, id, audio), buffer, start, count);
                            }
                            else
                            {
                                Place(clip, audio, buffer, start, count);
                            }
                        }
                        else if (clip.Notes is { Count: > 0 } && instrument is null)
                        {
                            NoteSynth.Play(clip, rate, buffer, start, count);
                        }
                    }
                }

                foreach (var (spec, effect) in effects)
                {
                    if (effect is ISidechained keyed)
                    {
                        // The key track's signal after its own effects, this block (it was processed earlier in the order).
                        keyed.Key = spec.Sidechain is { } key && buffers.TryGetValue(key, out var keyBuffer) ? keyBuffer : null;
                    }

                    Process(spec, effect!, buffer, start, count);
                }

                if (!audible)
                {
                    continue;
                }

                var target = track.Output is { } bus && buffers.TryGetValue(bus, out var input) ? input : master;
                var automated = track.VolumeAutomation is not null || track.PanAutomation is not null;
                if (automated)
                {
                    // A gain per sample from the lanes (the other control holds its setting).
                    var volumes = automatedVolume.AsSpan(0, count);
                    var pans = automatedPan.AsSpan(0, count);
                    Values(track.VolumeAutomation, track.VolumeDb, start, volumes);
                    Values(track.PanAutomation, track.Pan, start, pans);
                    for (var i = 0; i < count; i++)
                    {
                        (automatedLeft[i], automatedRight[i]) = Pan(pans[i], volumes[i]);
                    }
                }

                if (track.Sends is { Count: > 0 } sends)
                {
                    if (!automated)
                    {
                        automatedLeft.AsSpan(0, count).Fill(left);
                        automatedRight.AsSpan(0, count).Fill(right);
                    }

                    foreach (var send in sends)
                    {
                        if (buffers.TryGetValue(send.Bus, out var into))
                        {
                            Feed(send, buffer, into, start, count, automatedLeft, automatedRight, sendLevels);
                        }
                    }
                }

                for (var i = 0; i < count; i++)
                {
                    var (l, r) = automated ? (automatedLeft[i], automatedRight[i]) : (left, right);
                    target[0][i] += buffer[0][i] * l;
                    target[1][i] += buffer[1][i] * r;
                }
            }

            foreach (var (spec, effect) in masterEffects)
            {
                Process(spec, effect!, master, start, count);
            }

            if (project.MasterVolumeAutomation is { } masterLane)
            {
                masterLane.Fill(start, automatedVolume.AsSpan(0, count));
            }

            for (var i = 0; i < count; i++)
            {
                var gain = project.MasterVolumeAutomation is null ? volume : (float)Math.Pow(10, automatedVolume[i] / 20);
                output[0][start - from + i] = master[0][i] * gain;
                output[1][start - from + i] = master[1][i] * gain;
            }
        }

        return output;
    }

    /// <summary>
    /// Frames between parameter updates of an automated effect: a built-in effect's coefficients every 64 frames
    /// (1.3 ms at 48 kHz), a hosted plugin's every 1024 (each update is a message to its process).
    /// </summary>
    public const int EffectControlFrames = 64, PluginControlFrames = 1024;

    private static void Process(RenderEffect spec, IEffect effect, float[][] buffer, long start, int count)
    {
        if (spec.Automation is not { Count: > 0 } lanes || effect is not IAutomatable automatable)
        {
            effect.Process(buffer, 0, count);
            return;
        }

        var step = spec.IsPlugin ? PluginControlFrames : EffectControlFrames;
        var values = new Dictionary<string, double>(spec.IsPlugin ? [] : spec.Parameters);
        for (var offset = 0; offset < count; offset += step)
        {
            foreach (var (name, lane) in lanes)
            {
                values[name] = lane.At(start + offset);
            }

            // A built-in effect takes all of its parameters (defaults filled in), a plugin only the moving ones.
            automatable.Update(spec.IsPlugin ? values : EffectCatalog.Validate(spec.Type, values).Values);
            effect.Process(buffer, offset, Math.Min(step, count - offset));
        }
    }

    /// <summary>
    /// An instrument's block, following its automation lanes. A built-in instrument's level (gainDb) is a gain on
    /// what it plays, sample by sample, as a track's volume lane is. A hosted plugin plays in steps like a plugin
    /// effect's, told its moving parameters before each; its notes are handed to the step they fall in.
    /// </summary>
    private static void Play(RenderEffect spec, IInstrument instrument, float[][] buffer, long start, int count, List<MidiEvent> midi, double[] levels,
        PluginSteps steps)
    {
        var events = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(midi);
        if (spec.Automation is not { Count: > 0 } lanes)
        {
            instrument.Render(buffer, count, events);
            return;
        }

        if (!spec.IsPlugin)
        {
            instrument.Render(buffer, count, events);
            if (lanes.GetValueOrDefault("gainDb") is { } level)
            {
                // The instrument played at its set level; the lane's level over that, in dB.
                var set = spec.Parameters.GetValueOrDefault("gainDb");
                var gains = levels.AsSpan(0, count);
                level.Fill(start, gains);
                for (var i = 0; i < count; i++)
                {
                    var gain = (float)Math.Pow(10, (gains[i] - set) / 20);
                    buffer[0][i] *= gain;
                    buffer[1][i] *= gain;
                }
            }

            return;
        }

        var automatable = (IAutomatable)instrument;
        var (step, values, stepEvents) = (steps.Audio, steps.Values, steps.Events);
        values.Clear();
        for (var offset = 0; offset < count; offset += PluginControlFrames)
        {
            var frames = Math.Min(PluginControlFrames, count - offset);
            foreach (var (name, lane) in lanes)
            {
                values[name] = lane.At(start + offset);
            }

            automatable.Update(values);
            stepEvents.Clear();
            foreach (var e in events)
            {
                // Each note to the step it falls in (one past the block's end, as an instrument clamps it, to the last).
                if (e.Offset >= offset && (e.Offset < offset + frames || offset + frames == count))
                {
                    stepEvents.Add(e with { Offset = e.Offset - offset });
                }
            }

            Array.Clear(step[0]);
            Array.Clear(step[1]);
            instrument.Render(step, frames, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(stepEvents));
            step[0].AsSpan(0, frames).CopyTo(buffer[0].AsSpan(offset));
            step[1].AsSpan(0, frames).CopyTo(buffer[1].AsSpan(offset));
        }
    }

    /// <summary>
    /// Adds a send's part of the track's block into the bus: the signal after the track's effects times the send's level
    /// (its lane's, sample by sample), and post-fader times the track's fader and pan gains of each sample.
    /// </summary>
    private static void Feed(RenderSend send, float[][] buffer, float[][] bus, long start, int count, float[] faderLeft, float[] faderRight, double[] levels)
    {
        var gains = levels.AsSpan(0, count);
        if (send.Level is { } lane)
        {
            lane.Fill(start, gains);
            for (var i = 0; i < count; i++)
            {
                gains[i] = Math.Pow(10, gains[i] / 20);
            }
        }
        else
        {
            gains.Fill(Math.Pow(10, send.LevelDb / 20));
        }

        for (var i = 0; i < count; i++)
        {
            var (l, r) = send.PreFader ? (1f, 1f) : (faderLeft[i], faderRight[i]);
            bus[0][i] += (float)(buffer[0][i] * gains[i] * l);
            bus[1][i] += (float)(buffer[1][i] * gains[i] * r);
        }
    }

    /// <summary>An automated instrument plugin's step buffers, made once per render and reused for every block.</summary>
    private sealed class PluginSteps
    {
        public float[][] Audio { get; } = [new float[PluginControlFrames], new float[PluginControlFrames]];

        public Dictionary<string, double> Values { get; } = [];

        public List<MidiEvent> Events { get; } = [];
    }

    private static void Values(AutomationEnvelope? lane, double setting, long start, Span<double> values)
    {
        if (lane is null)
        {
            values.Fill(setting);
        }
        else
        {
            lane.Fill(start, values);
        }
    }

    /// <summary>
    /// The view of the project that renders one track's stem: the track alone through the buses it feeds (a bus: with
    /// everything routed into it), before the master chain; tracks keying a sidechain on the way ride along muted.
    /// </summary>
    public static RenderProject Stem(RenderProject project, RenderTrack track)
    {
        var included = (track.IsBus ? Feeding(project.Tracks, track.Id).Append(track) : Path(project.Tracks, track)).ToList();
        var keys = included.SelectMany(t => t.Effects).Where(e => !e.Bypass && e.Sidechain is not null).Select(e => e.Sidechain!.Value)
            .Where(key => included.All(t => t.Id != key)).Distinct()
            .Select(key => project.Tracks.FirstOrDefault(t => t.Id == key)).OfType<RenderTrack>()
            .Select(t => t with { Mute = true, Solo = false, Output = null });
        return project with
        {
            Tracks = [.. included.Select(t => t with { Solo = false, Mute = t.Id == track.Id ? track.Mute : false }), .. keys],
            MasterEffects = [],
            MasterVolumeDb = 0,
            MasterVolumeAutomation = null,
        };
    }

    /// <summary>
    /// The view of the project that renders what the studio cannot play itself, a track's clips (or instrument) through
    /// its own effect chain: before its fader and pan, not through any bus; tracks keying a sidechain ride along muted.
    /// </summary>
    public static RenderProject Chain(RenderProject project, RenderTrack track)
    {
        var keys = track.Effects.Where(e => !e.Bypass && e.Sidechain is { } key && key != track.Id).Select(e => e.Sidechain!.Value).Distinct()
            .Select(key => project.Tracks.FirstOrDefault(t => t.Id == key)).OfType<RenderTrack>()
            .Select(t => t with { Mute = true, Solo = false, Output = null });
        return project with
        {
            Tracks = [track with { Mute = false, Solo = false, Output = null, VolumeDb = 0, Pan = 0, VolumeAutomation = null, PanAutomation = null }, .. keys],
            MasterEffects = [],
            MasterVolumeDb = 0,
            MasterVolumeAutomation = null,
        };
    }

    /// <summary>
    /// One stereo file per track and per bus, before the master chain: a track's stem is the track alone
    /// (through the buses it feeds, as they colour it), a bus's stem is the bus with everything routed into it.
    /// </summary>
    public static IReadOnlyDictionary<Guid, float[][]> RenderStems(RenderProject project, Func<Guid, AudioSource?> sources, IPluginRack? plugins = null)
    {
        var length = project.Length ?? project.Tracks.SelectMany(t => t.Clips).Select(c => c.Start + c.Length).DefaultIfEmpty(0).Max();
        var stems = new Dictionary<Guid, float[][]>();
        foreach (var track in project.Tracks)
        {
            var alone = Stem(project, track) with { Length = length };
            stems[track.Id] = Render(alone, sources, plugins);
        }

        return stems;
    }

    /// <summary>
    /// The MIDI of a track's unmuted clips in this block: note-ons where notes start, note-offs where they end (or
    /// where the clip ends); offs before ons at the same frame, so a repeated note retriggers.
    /// </summary>
    private static void NoteEvents(RenderTrack track, long start, int count, List<MidiEvent> events)
    {
        events.Clear();
        foreach (var clip in track.Clips)
        {
            if (clip.Muted || clip.Notes is not { Count: > 0 } notes || clip.Start >= start + count || clip.Start + clip.Length + 1 <= start)
            {
                continue;
            }

            foreach (var note in notes)
            {
                var on = clip.Start + note.Start;
                var off = Math.Min(on + note.Length, clip.Start + clip.Length);
                var (pitch, velocity) = ((byte)Math.Clamp(note.Pitch, 0, 127), (byte)Math.Clamp(note.Velocity, 1, 127));
                if (on >= start && on < start + count && on < off)
                {
                    events.Add(new MidiEvent((int)(on - start), 0x90, pitch, velocity));
                }

                if (off >= start && off < start + count && on < off)
                {
                    events.Add(new MidiEvent((int)(off - start), 0x80, pitch, 0));
                }
            }
        }

        events.Sort((a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : a.Status.CompareTo(b.Status));
    }

    // The track and the buses downstream of it.
    private static IEnumerable<RenderTrack> Path(IReadOnlyList<RenderTrack> tracks, RenderTrack track)
    {
        var seen = new HashSet<Guid>();
        for (RenderTrack? t = track; t is not null && seen.Add(t.Id); t = t.Output is { } next ? tracks.FirstOrDefault(x => x.Id == next) : null)
        {
            yield return t;
        }
    }

    // Everything that reaches the bus, directly or through other buses.
    private static IEnumerable<RenderTrack> Feeding(IReadOnlyList<RenderTrack> tracks, Guid bus) =>
        tracks.Where(t => t.Id != bus && Path(tracks, t).Any(p => p.Id == bus)).SelectMany(t => Path(tracks, t).TakeWhile(p => p.Id != bus)).DistinctBy(t => t.Id);

    /// <summary>Adds the clip's part of the source that falls in this block, with its gain and fades.</summary>
    private static void Place(RenderClip clip, float[][] audio, float[][] buffer, long blockStart, int count)
    {
        var gain = Math.Pow(10, clip.GainDb / 20);
        var (sourceLeft, sourceRight) = (audio[0], audio[audio.Length > 1 ? 1 : 0]);
        var from = Math.Max(clip.Start, blockStart);
        var to = Math.Min(Math.Min(clip.Start + clip.Length, blockStart + count), clip.Start - clip.Offset + sourceLeft.Length);
        // Between the fades the gain is constant: a tight loop; only fade regions compute a curve per sample.
        var steadyFrom = Math.Max(from, clip.Start + clip.FadeIn);
        var steadyTo = Math.Min(to, clip.Start + clip.Length - clip.FadeOut);
        for (var at = from; at < to; at++)
        {
            if (at == steadyFrom && steadyFrom < steadyTo)
            {
                var g = (float)gain;
                var left = buffer[0].AsSpan((int)(steadyFrom - blockStart), (int)(steadyTo - steadyFrom));
                var right = buffer[1].AsSpan((int)(steadyFrom - blockStart), (int)(steadyTo - steadyFrom));
                var sourceFrom = (int)(clip.Offset + steadyFrom - clip.Start);
                var inLeft = sourceLeft.AsSpan(sourceFrom, left.Length);
                var inRight = sourceRight.AsSpan(sourceFrom, left.Length);
                for (var i = 0; i < left.Length; i++)
                {
                    left[i] += inLeft[i] * g;
                    right[i] += inRight[i] * g;
                }

                at = steadyTo - 1;
                continue;
            }

            var position = at - clip.Start;
            var source = clip.Offset + position;
            var fade = (float)(gain * Fade(position, clip.FadeIn, clip.FadeInShape) * Fade(clip.Length - 1 - position, clip.FadeOut, clip.FadeOutShape));
            buffer[0][at - blockStart] += sourceLeft[source] * fade;
            buffer[1][at - blockStart] += sourceRight[source] * fade;
        }
    }

    /// <summary>The gain <paramref name="position"/> samples into a fade of <paramref name="length"/> samples.</summary>
    internal static double Fade(long position, long length, FadeShape shape)
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

    /// <summary>
    /// Every track after what it needs: a bus after everything routed into it, a sidechained track after its
    /// key. A cycle (two tracks keying each other) is broken where it is found; the late key reads as silence.
    /// </summary>
    private static IEnumerable<RenderTrack> Order(IReadOnlyList<RenderTrack> tracks)
    {
        var ids = tracks.Select(t => t.Id).ToHashSet();
        IEnumerable<Guid> Needs(RenderTrack track) =>
            tracks.Where(t => t.Output == track.Id || (t.Sends?.Any(s => s.Bus == track.Id) ?? false)).Select(t => t.Id)
                .Concat(track.Effects.Where(e => !e.Bypass && e.Sidechain is { } key && key != track.Id && ids.Contains(key)).Select(e => e.Sidechain!.Value));
        var done = new HashSet<Guid>();
        var waiting = tracks.ToList();
        while (waiting.Count > 0)
        {
            var ready = waiting.FirstOrDefault(t => Needs(t).All(done.Contains)) ?? waiting[0];
            waiting.Remove(ready);
            done.Add(ready.Id);
            yield return ready;
        }
    }
}

using Jacameno.Audio.Effects;
using Jacameno.Audio.Rendering;

namespace Jacameno.Plugins;

/// <summary>
/// The plugins of a render, all in one host process (one start per render rather than one per plugin; the host ends
/// when the render has disposed its last plugin): effects process the track's audio through their shared blocks,
/// instruments play the block's MIDI. A plugin this machine does not have is bypassed and listed in
/// <see cref="Missing"/>, so that a project that holds one still renders (and says what it lacked). A plugin that
/// fails while rendering throws a <see cref="PluginException"/> naming it.
/// </summary>
public sealed class HostedPluginRack(PluginHostOptions options, Func<string, PluginInfo?> catalog) : IPluginRack
{
    private readonly List<string> missing = [];
    private PluginHost? host;

    /// <summary>Plugins the project uses that could not be loaded here, with the reason.</summary>
    public IReadOnlyList<string> Missing => missing;

    public IEffect? CreateEffect(RenderEffect effect, EffectContext context) =>
        Start(effect, context) is { } instance ? new PluginEffect(instance) : null;

    public IInstrument? CreateInstrument(RenderEffect instrument, EffectContext context) =>
        Start(instrument, context) is { } instance ? new PluginEffect(instance) : null;

    private PluginInstance? Start(RenderEffect spec, EffectContext context)
    {
        if (catalog(spec.Type) is not { } info)
        {
            Report($"{spec.Type} is not installed here; it was bypassed.");
            return null;
        }

        if (info.Unsupported is { } reason)
        {
            Report($"{info.Name} ({spec.Type}) cannot run here ({reason}); it was bypassed.");
            return null;
        }

        if (host is null || host.HasEnded)
        {
            host = PluginHost.Start(options, "render");
        }

        var instance = host.Load(spec.Type, context.SampleRate, context.Tempo, ProjectRenderer.BlockFrames, info.Bundle);
        try
        {
            if (spec.State is { Length: > 0 } state)
            {
                instance.RestoreState(Convert.FromBase64String(state));
            }

            instance.Set(spec.Parameters);
            return instance;
        }
        catch
        {
            instance.Dispose();
            throw;
        }
    }

    private void Report(string message)
    {
        lock (missing)
        {
            if (!missing.Contains(message))
            {
                missing.Add(message);
            }
        }
    }
}

/// <summary>A hosted plugin as the renderer sees it: an effect (audio in, audio out) or an instrument (MIDI in, audio added).</summary>
internal sealed class PluginEffect(PluginInstance instance) : IEffect, IInstrument, IAutomatable, IDisposable
{
    public void Update(IReadOnlyDictionary<string, double> parameters) => instance.Set(parameters);

    public void Process(float[][] planar, int offset, int frames)
    {
        for (var done = 0; done < frames;)
        {
            var count = Math.Min(instance.MaxBlock, frames - done);
            for (var c = 0; c < 2; c++)
            {
                planar[Math.Min(c, planar.Length - 1)].AsSpan(offset + done, count).CopyTo(instance.Input(c));
            }

            instance.Process(count);
            for (var c = 0; c < planar.Length && c < 2; c++)
            {
                instance.Output(c)[..count].CopyTo(planar[c].AsSpan(offset + done, count));
            }

            done += count;
        }
    }

    public void Render(float[][] planar, int frames, ReadOnlySpan<MidiEvent> events)
    {
        if (frames > instance.MaxBlock)
        {
            throw new ArgumentOutOfRangeException(nameof(frames), "An instrument block is at most the host's block.");
        }

        instance.Input(0)[..frames].Clear();
        instance.Input(1)[..frames].Clear();
        instance.Process(frames, events);
        for (var c = 0; c < planar.Length && c < 2; c++)
        {
            var output = instance.Output(c);
            var target = planar[c].AsSpan(0, frames);
            for (var i = 0; i < frames; i++)
            {
                target[i] += output[i];
            }
        }
    }

    public void Dispose() => instance.Dispose();
}
